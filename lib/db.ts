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
 * - `postgres://` / `postgresql://`: a PostgreSQL server, through
 *   - Neon's serverless driver (`@prisma/adapter-neon`: queries over a WebSocket, made for functions)
 *     when `DATABASE_DRIVER=neon`, or when unset and the host is Neon's (`*.neon.tech`, which is
 *     what Vercel's Marketplace Postgres gives);
 *   - `@prisma/adapter-pg` (node-postgres over TCP) otherwise, or with `DATABASE_DRIVER=pg`.
 *   Either way a pool of at most `DATABASE_POOL_MAX` connections per process (default 10; 5 on
 *   Vercel, where every function instance has its own pool — use Neon's pooled `-pooler` host) that
 *   closes idle connections after 10 s on Vercel (a suspended instance holds none for long).
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

/**
 * The driver for a PostgreSQL URL: `setting` (`DATABASE_DRIVER`) when given, else `neon` for a Neon
 * host (`*.neon.tech`), else `pg`.
 */
export function databaseDriver(url: string, setting: "pg" | "neon" | undefined): "pg" | "neon" {
  if (setting) return setting;
  let host = "";
  try {
    host = new URL(url).hostname;
  } catch {
    return "pg";
  }
  return host.endsWith(".neon.tech") ? "neon" : "pg";
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
    const settings = env();
    const onVercel = !!process.env.VERCEL;
    const pool = {
      connectionString: url,
      max: settings.DATABASE_POOL_MAX ?? (onVercel ? 5 : 10),
      idleTimeoutMillis: onVercel ? 10_000 : 30_000,
      connectionTimeoutMillis: 10_000,
    };
    if (databaseDriver(url, settings.DATABASE_DRIVER) === "neon") {
      if (typeof WebSocket === "undefined") {
        throw new Error("DATABASE_DRIVER=neon needs Node.js 22 or later (a global WebSocket); use DATABASE_DRIVER=pg on Node 20.");
      }
      const { PrismaNeon } = await import("@prisma/adapter-neon");
      return new PrismaClient({ adapter: new PrismaNeon(pool) });
    }
    const { PrismaPg } = await import("@prisma/adapter-pg");
    return new PrismaClient({ adapter: new PrismaPg(pool) });
  }
  throw new Error(`DATABASE_URL must start with pglite:, postgres:// or postgresql:// (got "${url.split(":")[0]}:")`);
}
