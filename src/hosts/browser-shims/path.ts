// node:path for the browser build: the POSIX forms the shared modules call while loading.
export const join = (...parts: string[]) => parts.filter(Boolean).join('/').replace(/\/+/g, '/');
export const dirname = (path: string) => path.replace(/\/[^/]*$/, '') || '/';
export const basename = (path: string, suffix = '') => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base;
};
