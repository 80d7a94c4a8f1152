// Firefox exposes the promise-based WebExtension API as `browser`, Chromium as `chrome`.
export const ext = globalThis.browser ?? globalThis.chrome;
