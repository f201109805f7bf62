import { spawnSync } from "node:child_process";
import { applyMigrations } from "./lib/migrations";

/**
 * Vercel's build command (`npm run vercel-build`, named in vercel.json): applies the pending
 * migrations to `DATABASE_URL` (the production database of the deployment being built), then runs
 * `next build`. A deployment therefore never serves a schema older than its code. Migrations are
 * skipped with `VEND_SKIP_MIGRATIONS=1` (CI's `vercel build`, which has no database) and fail the
 * build without a PostgreSQL `DATABASE_URL`.
 */
async function main(): Promise<number> {
  if (process.env.VEND_SKIP_MIGRATIONS === "1") {
    console.log("VEND_SKIP_MIGRATIONS=1: not migrating.");
  } else {
    const url = process.env.DATABASE_URL ?? "";
    if (!/^postgres(ql)?:\/\//.test(url)) {
      console.error("DATABASE_URL must be the production PostgreSQL URL (postgresql://…) to migrate it during the build.");
      return 1;
    }
    const { applied } = await applyMigrations(url, { log: (line) => console.log(line) });
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "The database is up to date.");
  }
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  return build.status ?? 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
