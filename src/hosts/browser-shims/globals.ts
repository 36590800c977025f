// Node globals for the browser build (esbuild injects these where a shared module names them): the Buffer
// calls of auth.ts (base64 credentials), store.ts (UTF-8 length) and state-count.ts, and process.stdout
// for the log (lines go to the console).
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes whose toString() is their UTF-8 text, as a Buffer's. */
const withText = (bytes: Uint8Array) => Object.assign(bytes, { toString: () => decoder.decode(bytes) });

export const Buffer = {
  from(value: string | ArrayBuffer, encodingOrOffset?: string | number, length?: number): Uint8Array {
    if (typeof value !== 'string') return withText(new Uint8Array(value, encodingOrOffset as number | undefined, length));
    if (encodingOrOffset === 'base64') return withText(Uint8Array.from(atob(value.replace(/[^A-Za-z0-9+/]/g, '')), (c) => c.charCodeAt(0)));
    return withText(encoder.encode(value));
  },
  byteLength: (text: string): number => encoder.encode(text).length,
};

export const process = {
  env: {},
  stdout: {
    writableLength: 0,
    destroyed: false,
    write(text: string, done?: (err?: Error | null) => void) {
      console.log(text.trimEnd());
      done?.();
      return true;
    },
    on: () => undefined,
  },
};
