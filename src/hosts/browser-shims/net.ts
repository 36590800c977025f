// node:net for the browser build: isIP as browser-guard.ts uses it (4, 6 or 0).
export function isIP(text: string): number {
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(text)) return 4;
  try {
    return text.includes(':') && new URL(`http://[${text}]/`).hostname !== '' ? 6 : 0;
  } catch {
    return 0;
  }
}
