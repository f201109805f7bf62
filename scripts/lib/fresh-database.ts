import path from "node:path";
import pg from "pg";

/** A database made for one run (tests, e2e, benchmarks). */
export type FreshDatabase = {
  /** `pglite:<dir>` or `postgresql://…/<fresh database>`, as the app's DATABASE_URL. */
  url: string;
  kind: "postgres" | "pglite";
  /** Drops the fresh PostgreSQL database (nothing to do for PGlite: its folder goes with `dataDir`). */
  drop(): Promise<void>;
};

/**
 * A fresh database: a new database `<prefix>_<random>` on the PostgreSQL server named by
 * `serverUrl` (created here, dropped by `drop`), or, without a postgres URL, an embedded PGlite
 * directory inside `dataDir`.
 */
export async function freshDatabase(dataDir: string, serverUrl: string | undefined, prefix = "vend_test"): Promise<FreshDatabase> {
  if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) {
    return { url: `pglite:${path.join(dataDir, "db")}`, kind: "pglite", drop: async () => {} };
  }
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "postgres",
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
