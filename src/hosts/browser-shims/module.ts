// node:module for the browser build: nothing can be required in a page.
export const createRequire = () => () => {
  throw new Error('gij-mock/msw in a browser cannot load modules at run time');
};
