// The engine's platform for gij-mock/msw in Node: the node host's (specs and docs from the package, --state-file).
// The browser build of gij-mock/msw swaps this file for msw-platform.browser.ts (scripts/bundle-msw.mjs).
export { nodeDecoders as mswDecoders } from './node-decoders.js';
export { nodePlatform as mswPlatform } from './platform.js';
