// Renders `{…head "list": [item, item, …]}` as slices of ~64 KiB: the answer is never one string (no V8
// string limit, memory bounded by a slice and the socket's buffer). The host writes each slice with
// back-pressure and lets the event loop turn between slices, so other requests keep being answered
// while a big list is written (src/hosts/node.ts).

const SLICE_CHARS = 64 * 1024;

/** `head` ends with the list's key and colon, e.g. '{"success":true,"integrations":'; the object closes after the list. */
export async function* jsonListSlices<T>(head: string, items: readonly T[], render: (item: T) => unknown): AsyncGenerator<string> {
  let slice = `${head}[`;
  for (let i = 0; i < items.length; i++) {
    slice += (i === 0 ? '' : ',') + JSON.stringify(render(items[i]!));
    if (slice.length >= SLICE_CHARS) {
      yield slice;
      slice = '';
    }
  }
  yield `${slice}]}`;
}
