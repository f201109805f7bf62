import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_ARGS, chromiumPath } from "./tests/support/chromium";

/**
 * End-to-end journeys in Debian's Chromium (Playwright's own browser download does not work
 * offline): set CHROMIUM_PATH to use another binary. The global setup starts the local chain,
 * a fresh database and the production build (`next start`), like the API tests.
 */
export default defineConfig({
  testDir: "e2e",
  // The Vercel-shaped stack has its own configuration (playwright.vercel.config.ts).
  testIgnore: /[\\/]e2e[\\/]vercel[\\/]/,
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    trace: "retain-on-failure",
    launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 860 } } },
  ],
});
