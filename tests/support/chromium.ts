/**
 * Debian's Chromium (Playwright's own browser download does not work offline), for the e2e suite
 * and the bench's Lighthouse runs: `CHROMIUM_PATH` chooses another binary.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Flags for a headless Chromium in a container, offline and quiet (no sandbox: runs as root). */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
