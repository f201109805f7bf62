import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { acquireDirectoryLock } from "@/lib/db-lock";

/**
 * The Prisma client, with its driver adapter chosen from DATABASE_URL:
 * - `pglite:<dir>`: in-process PGlite (the embedded default). Exactly one process may own the
 *   directory: a lock file next to it is taken on first use and refused to any other live process.
 * - `postgres://` / `postgresql://`: a PostgreSQL server through `@prisma/adapter-pg` (Vercel, Neon…).
 *
 * Opened lazily (never at import time: `next build` workers import every module) and kept on
 * `globalThis` so that dev reloads reuse one client.
 */
type Holder = { prisma?: Promise<PrismaClient> };
const holder = globalThis as typeof globalThis & { __vendDb?: Holder };
holder.__vendDb ??= {};

export type Db = PrismaClient;

/** Returns the shared Prisma client, opening the database on first call. */
export function db(): Promise<PrismaClient> {
  const h = holder.__vendDb!;
  h.prisma ??= open(env().databaseUrl).catch((error: unknown) => {
    h.prisma = undefined;
    throw error;
  });
  return h.prisma;
}

/** Opens a Prisma client on `url` (`pglite:<dir>` or `postgresql://…`). Exported for scripts. */
export async function openPrisma(url: string): Promise<PrismaClient> {
  return open(url);
}

async function open(url: string): Promise<PrismaClient> {
  if (url.startsWith("pglite:")) {
    const dir = path.resolve(url.slice("pglite:".length));
    mkdirSync(path.dirname(dir), { recursive: true });
    acquireDirectoryLock(dir);
    const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("pglite-prisma-adapter"),
    ]);
    const client = await PGlite.create(dir);
    return new PrismaClient({ adapter: new PrismaPGlite(client) });
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  }
  throw new Error(`DATABASE_URL must start with pglite:, postgres:// or postgresql:// (got "${url.split(":")[0]}:")`);
}
