import "server-only";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db";

/**
 * The migrations this build expects: the folder names under `prisma/migrations` (shipped with the
 * app; on Vercel they are traced into the functions that check them, see `next.config.mjs`).
 */
export function expectedMigrations(root = process.cwd()): string[] {
  const dir = path.join(root, "prisma", "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Where the database stands against this build's migrations, from Prisma's `_prisma_migrations`
 * table (written by `npm run db:migrate` and by `prisma migrate deploy` alike):
 * `pending` = expected migrations without a finished row (all of them when the table is missing),
 * `failed` = rows that started and neither finished nor were rolled back (fix, then
 * `prisma migrate resolve`). Up to date when both are empty.
 */
export async function migrationStatus(prisma: Db): Promise<{ pending: string[]; failed: string[] }> {
  const expected = expectedMigrations();
  const [table] = await prisma.$queryRaw<{ present: boolean }[]>`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`;
  if (!table?.present) return { pending: expected, failed: [] };
  const rows = await prisma.$queryRaw<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }[]>`
    SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations`;
  const finished = new Set(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => r.migration_name));
  return {
    pending: expected.filter((name) => !finished.has(name)),
    failed: rows.filter((r) => !r.finished_at && !r.rolled_back_at).map((r) => r.migration_name),
  };
}
