import path from "node:path";
import pg from "pg";

/**
 * A fresh database for one test run: a new PostgreSQL database on the server named by
 * TEST_DATABASE_URL (created here, dropped by `drop`), or an embedded PGlite directory.
 */
export async function freshDatabase(dataDir: string): Promise<{ url: string; kind: "postgres" | "pglite"; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server || !/^postgres(ql)?:\/\//.test(server)) {
    return { url: `pglite:${path.join(dataDir, "db")}`, kind: "pglite", drop: async () => {} };
  }
  const name = `vend_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: "postgres",
    async drop() {
      const c = new pg.Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}
