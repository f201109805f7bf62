import path from "node:path";
import pg from "pg";
import { acquireDirectoryLock, releaseDirectoryLock } from "../../lib/db-lock";

/** A raw SQL session on the bench database (seeding, EXPLAIN), opened while the app is not running. */
export type SqlSession = {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script (simple protocol). */
  exec(sql: string): Promise<void>;
  /** The PGlite instance, for PGlite databases (to share it with a Prisma adapter). */
  pglite?: import("@electric-sql/pglite").PGlite;
  close(): Promise<void>;
};

/**
 * Opens a raw session on `url`. For PGlite it takes the directory lock (lib/db-lock.ts) and releases
 * it on `close()`, so the app can own the directory afterwards: never call it while the app runs.
 */
export async function openSql(url: string): Promise<SqlSession> {
  if (url.startsWith("pglite:")) {
    const dir = path.resolve(url.slice("pglite:".length));
    acquireDirectoryLock(dir);
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create(dir);
    return {
      pglite: db,
      query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
      exec: async (sql) => {
        await db.exec(sql);
      },
      async close() {
        await db.close();
        releaseDirectoryLock(dir);
      },
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    exec: async (sql) => {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}
