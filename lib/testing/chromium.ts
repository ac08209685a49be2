/**
 * Debian's Chromium for browser tests (never a downloaded browser build), and
 * the flags it needs here: headless as root, and no background connections
 * (this machine's network is closed).
 */
export const chromiumExecutablePath = "/usr/bin/chromium";

export const chromiumLaunchArgs: readonly string[] = Object.freeze([
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]);
