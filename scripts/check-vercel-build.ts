import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm test`'s Vercel check (issue 11): builds the app exactly as Vercel does — `vercel build --prod`
 * (the pinned CLI, offline) with a local project file and a production-like environment (S3
 * storage, PostgreSQL, secrets set; migrations skipped: no database here) — then checks every
 * function in `.vercel/output/functions`:
 * - its unzipped size (its own files plus every traced file of `.vc-config.json`'s `filePathMap`)
 *   is within Vercel's 250 MB;
 * - no development-only package is traced into it (hardhat, solc, s3rver, playwright,
 *   @playwright/test, lighthouse, vercel, and the x402 v1 client packages x402 / x402-fetch).
 * Prints each function's size, largest first, and exits 1 on a violation.
 * A checkout linked to a real Vercel project (`.vercel/project.json` not written here) is left
 * alone: the check is skipped with a notice (CI always runs it in a clean clone).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vercelDir = path.join(root, ".vercel");
const PROJECT = { projectId: "prj_vend_build_check", orgId: "team_vend_build_check", settings: { framework: "nextjs" } };
const LIMIT_BYTES = 250 * 1000 * 1000;
const DEV_ONLY = ["hardhat", "solc", "s3rver", "playwright", "playwright-core", "@playwright/test", "lighthouse", "vercel", "x402", "x402-fetch"];

/** The production-like environment of the build (every value a placeholder; nothing is reached). */
const PRODUCTION_ENV: Record<string, string> = {
  APP_URL: "https://vend.example.com",
  NEXTAUTH_SECRET: "build-check-secret-build-check-secret",
  DATABASE_URL: "postgresql://vend:vend@db.example.neon.tech/vend?sslmode=require",
  STORAGE_DRIVER: "s3",
  S3_ENDPOINT: "https://s3.example.com",
  S3_REGION: "auto",
  S3_BUCKET: "vend",
  S3_ACCESS_KEY_ID: "build-check",
  S3_SECRET_ACCESS_KEY: "build-check",
  RPC_URL_BASE_SEPOLIA: "https://rpc.example.com",
  CRON_SECRET: "build-check-cron-secret",
  VEND_SKIP_MIGRATIONS: "1",
};

function main(): number {
  const projectFile = path.join(vercelDir, "project.json");
  if (existsSync(projectFile) && (JSON.parse(readFileSync(projectFile, "utf8")) as { projectId?: string }).projectId !== PROJECT.projectId) {
    console.log("Skipped: .vercel/project.json belongs to a linked Vercel project (run the check in a clean clone).");
    return 0;
  }
  mkdirSync(vercelDir, { recursive: true });
  writeFileSync(projectFile, JSON.stringify(PROJECT, null, 2));
  writeFileSync(
    path.join(vercelDir, ".env.production.local"),
    Object.entries(PRODUCTION_ENV)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n"),
  );
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/vercel/dist/vc.js"), "build", "--prod", "--yes"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, ...PRODUCTION_ENV, NEXT_TELEMETRY_DISABLED: "1", VERCEL_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) {
    console.error(`vercel build failed (exit ${build.status ?? build.signal}).`);
    return 1;
  }
  const functions = findFunctions(path.join(vercelDir, "output", "functions"));
  if (functions.length === 0) {
    console.error("vercel build produced no functions.");
    return 1;
  }
  const problems: string[] = [];
  const sizes = functions.map((dir) => {
    const { bytes, packages } = measure(dir);
    const name = path.relative(path.join(vercelDir, "output", "functions"), dir);
    if (bytes > LIMIT_BYTES) problems.push(`${name}: ${mb(bytes)} unzipped, over Vercel's 250 MB`);
    for (const pkg of DEV_ONLY) if (packages.has(pkg)) problems.push(`${name}: traces the development-only package ${pkg}`);
    return { name, bytes };
  });
  const unique = new Map<number, string[]>();
  for (const { name, bytes } of sizes) unique.set(bytes, [...(unique.get(bytes) ?? []), name]);
  console.log(`\n${functions.length} functions (unzipped size, files included by tracing):`);
  for (const [bytes, names] of [...unique].sort((a, b) => b[0] - a[0])) {
    console.log(`  ${mb(bytes).padStart(9)}  ${names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ")}`);
  }
  if (problems.length) {
    console.error(`\n✗ ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    return 1;
  }
  console.log(`\n✓ every function is within 250 MB and traces no development-only package (${DEV_ONLY.join(", ")}).`);
  return 0;
}

/** Directories `*.func` under `dir` (symlinked duplicates included once by their real path). */
function findFunctions(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.name.endsWith(".func") && (entry.isDirectory() || entry.isSymbolicLink())) found.push(full);
    else if (entry.isDirectory()) found.push(...findFunctions(full));
  }
  return found;
}

/** A function's unzipped bytes (its own files + its traced files) and the npm packages it traces. */
function measure(funcDir: string): { bytes: number; packages: Set<string> } {
  const config = JSON.parse(readFileSync(path.join(funcDir, ".vc-config.json"), "utf8")) as { filePathMap?: Record<string, string> };
  const files = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.add(full);
      const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path.relative(funcDir, full));
      if (match) packages.add(match[1]!);
    }
  };
  const packages = new Set<string>();
  walk(funcDir);
  for (const [inFunction, source] of Object.entries(config.filePathMap ?? {})) {
    files.add(path.resolve(root, source));
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(inFunction);
    if (match) packages.add(match[1]!);
  }
  let bytes = 0;
  for (const file of files) {
    try {
      bytes += statSync(file).size;
    } catch {
      // A traced path that does not exist on disk is not deployed either.
    }
  }
  return { bytes, packages };
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

process.exit(main());
