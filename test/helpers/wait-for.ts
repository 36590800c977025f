// Waits for something observable (a log line, a counter, a journal entry) instead of a fixed sleep:
// polls `check` every few ms and fails with `what` once `withinMs` has passed, however busy the machine.
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, withinMs = 10_000): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (performance.now() - started > withinMs) throw new Error(`waited ${withinMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
