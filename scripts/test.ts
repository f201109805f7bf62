import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/**
 * `npm test` — every check, in order, stopping at the first failure. What does not depend on the
 * database runs once; what does runs once per database:
 * 1. migrations match schema.prisma, TypeScript, the production build;
 * 2. vitest `pure` (no database: ANS-104, formats, the test USDC, storage on files…);
 * 3. vitest `unit` + `api` (real database, real files, the real local chain; the built app over real
 *    HTTP) on the embedded PGlite, then — when TEST_DATABASE_URL names a PostgreSQL server — again on
 *    that server (each run creates and drops its own databases);
 * 4. the Playwright journeys in Chromium (installed from Debian's packages when missing and running
 *    as root), on PGlite, the default a newcomer runs;
 * 5. with a PostgreSQL server: the Vercel-shaped stack (two instances behind a 4.5 MB proxy, one
 *    PostgreSQL server, s3rver: playwright.vercel.config.ts), which needs a server;
 * 6. the Vercel build check (`vercel build` + function sizes and traced packages,
 *    scripts/check-vercel-build.ts).
 * CI (`.ci/run`) runs it once, with TEST_DATABASE_URL set.
 */
type Step = { name: string; cmd: string[]; env?: Record<string, string | undefined> };

const serverUrl = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? "") ? process.env.TEST_DATABASE_URL : undefined;
const onPglite = { TEST_DATABASE_URL: undefined };
const built = { VEND_SKIP_BUILD: "1" };
const vitest = (projects: string[]) => ["node_modules/.bin/vitest", "run", ...projects.flatMap((p) => ["--project", p])];

const steps: Step[] = [
  { name: "migrations match schema.prisma", cmd: ["node_modules/.bin/tsx", "scripts/db.ts", "check"] },
  { name: "typecheck", cmd: ["node_modules/.bin/tsc", "--noEmit"] },
  { name: "build", cmd: ["node_modules/.bin/next", "build"] },
  { name: "vitest: no database", cmd: vitest(["pure"]), env: { ...built, ...onPglite } },
  { name: "vitest: database suites on PGlite", cmd: vitest(["unit", "api"]), env: { ...built, ...onPglite } },
];
if (serverUrl) {
  steps.push({ name: "vitest: database suites on PostgreSQL", cmd: vitest(["unit", "api"]), env: { ...built, TEST_DATABASE_URL: serverUrl } });
} else {
  console.log("TEST_DATABASE_URL is not set: the database suites run on PGlite only, and the Vercel-shaped stack is skipped.");
}
const e2e = existsSync("e2e") && readdirSync("e2e").some((f) => f.endsWith(".spec.ts"));
if (e2e || serverUrl) steps.push({ name: "chromium", cmd: ["bash", "scripts/ensure-chromium.sh"] });
if (e2e) steps.push({ name: "playwright", cmd: ["node_modules/.bin/playwright", "test"], env: { ...built, ...onPglite } });
if (serverUrl) {
  steps.push({
    name: "vercel-shaped stack (two instances, 4.5 MB proxy, PostgreSQL, S3)",
    cmd: ["node_modules/.bin/playwright", "test", "-c", "playwright.vercel.config.ts"],
    env: { ...built, TEST_DATABASE_URL: serverUrl },
  });
}
steps.push({ name: "vercel build check", cmd: ["node_modules/.bin/tsx", "scripts/check-vercel-build.ts"] });

const started = Date.now();
for (const step of steps) {
  const stepStarted = Date.now();
  console.log(`\n▶ ${step.name}: ${step.cmd.join(" ")}`);
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" };
  for (const [key, value] of Object.entries(step.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const result = spawnSync(step.cmd[0]!, step.cmd.slice(1), { stdio: "inherit", env, cwd: path.resolve(import.meta.dirname, "..") });
  if (result.status !== 0) {
    console.error(`\n✗ ${step.name} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`  (${step.name}: ${Math.round((Date.now() - stepStarted) / 1000)} s)`);
}
console.log(`\n✓ all checks passed in ${Math.round((Date.now() - started) / 1000)} s`);
