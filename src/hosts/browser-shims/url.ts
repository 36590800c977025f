// node:url for the browser build: the path of a URL (spec.ts computes the package root while loading).
export const fileURLToPath = (url: string | URL) => new URL(url).pathname;
export const pathToFileURL = (path: string) => new URL(`file://${path}`);
