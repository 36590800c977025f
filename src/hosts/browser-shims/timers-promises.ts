// node:timers/promises for the browser build: a turn of the event loop.
export const setImmediate = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
