// node:fs for the browser build: no files in a page. Options that name a file (users, seed, faults, stateFile) fail here with this sentence.
const none = (): never => {
  throw new Error('gij-mock/msw in a browser reads no files: leave out users, seed, faults and stateFile');
};
export const readFileSync = none;
export const writeFileSync = none;
export const mkdirSync = none;
export const existsSync = (): boolean => false;
