import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * `npm test` — every check, in order, stopping at the first failure:
 * migrations match schema.prisma, TypeScript, the production build, vitest (unit: real PGlite,
 * real files, the real local chain; api: the built app over real HTTP), then the Playwright
 * end-to-end suite in Chromium (installed from Debian's packages when missing and running as root).
 * TEST_DATABASE_URL=postgresql://… runs the database-backed suites against a PostgreSQL server.
 *
 * Two suites run in one of the two kinds of run only, so that CI (`.ci/run`: once on PGlite, once
 * on PostgreSQL) runs each once:
 * - without TEST_DATABASE_URL: the Vercel build check (`vercel build` + function sizes and traced
 *   packages, scripts/check-vercel-build.ts), which uses no database;
 * - with TEST_DATABASE_URL: the Vercel-shaped stack (two instances behind a 4.5 MB proxy, one
 *   PostgreSQL server, s3rver: playwright.vercel.config.ts), which needs a PostgreSQL server.
 */
const steps: { name: string; cmd: string[]; env?: Record<string, string> }[] = [
  { name: "migrations match schema.prisma", cmd: ["node_modules/.bin/tsx", "scripts/db.ts", "check"] },
  { name: "typecheck", cmd: ["node_modules/.bin/tsc", "--noEmit"] },
  { name: "build", cmd: ["node_modules/.bin/next", "build"] },
  { name: "vitest", cmd: ["node_modules/.bin/vitest", "run"], env: { VEND_SKIP_BUILD: "1" } },
];

const server = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "");
const e2e = existsSync("e2e") && readdirSync("e2e").some((f) => f.endsWith(".spec.ts"));
if (e2e || server) steps.push({ name: "chromium", cmd: ["bash", "scripts/ensure-chromium.sh"] });
if (e2e) steps.push({ name: "playwright", cmd: ["node_modules/.bin/playwright", "test"], env: { VEND_SKIP_BUILD: "1" } });
if (server) {
  steps.push({
    name: "vercel-shaped stack (two instances, 4.5 MB proxy, PostgreSQL, S3)",
    cmd: ["node_modules/.bin/playwright", "test", "-c", "playwright.vercel.config.ts"],
    env: { VEND_SKIP_BUILD: "1" },
  });
} else {
  steps.push({ name: "vercel build check", cmd: ["node_modules/.bin/tsx", "scripts/check-vercel-build.ts"] });
}

const started = Date.now();
for (const step of steps) {
  console.log(`\n▶ ${step.name}: ${step.cmd.join(" ")}`);
  const result = spawnSync(step.cmd[0]!, step.cmd.slice(1), {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", ...step.env },
    cwd: path.resolve(import.meta.dirname, ".."),
  });
  if (result.status !== 0) {
    console.error(`\n✗ ${step.name} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}
console.log(`\n✓ all checks passed in ${Math.round((Date.now() - started) / 1000)} s`);
