import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * The suites of the Vercel-shaped stack (`e2e/vercel`, see tests/support/vercel-stack.ts): two
 * instances behind a proxy with Vercel's 4.5 MB body limit, one PostgreSQL server (TEST_DATABASE_URL),
 * s3rver and the local chain. One stack serves the browser journey and the concurrency API test.
 */
export default defineConfig({
  ...base,
  testDir: "e2e/vercel",
  testIgnore: [],
  globalSetup: "./e2e/vercel/global-setup.ts",
  timeout: 300_000,
});
