import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";

/**
 * Links made before multi-network links keep working: the migration lists each existing link's one
 * network and token, data kept (PGlite, or PostgreSQL with TEST_DATABASE_URL).
 */
const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-mn-migration-"));
let database: FreshDatabase | undefined;

/** Runs SQL on the database at `url` and closes the connection. */
async function sql<T>(url: string, text: string): Promise<T[]> {
  if (url.startsWith("pglite:")) {
    const { PGlite } = await import("@electric-sql/pglite");
    const db = await PGlite.create(url.slice("pglite:".length));
    try {
      const results = await db.exec(text);
      return (results.at(-1)?.rows ?? []) as T[];
    } finally {
      await db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

it("lists an existing link's one network and token, keeping the rest", async () => {
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL, "vend_mn_migration");
  const before = path.join(dataDir, "before");
  const names = readdirSync(MIGRATIONS);
  const cut = names.findIndex((n) => n.endsWith("_multi_network_links"));
  expect(cut).toBeGreaterThan(0);
  for (const name of names.filter((n, i) => i < cut || !n.match(/^\d/))) cpSync(path.join(MIGRATIONS, name), path.join(before, name), { recursive: true });
  await applyMigrations(database.url, { migrationsDir: before });

  await sql(
    database.url,
    `INSERT INTO "User" ("id", "address") VALUES ('usr_old', '0x00000000000000000000000000000000000000aa');
     INSERT INTO "StoredObject" ("id", "ownerId", "name", "contentType", "size", "dataOffset", "dataItemId", "signatureType",
       "dataItemOwner", "signer", "tags", "storageKey", "headerKey", "sha256")
     VALUES ('obj_old', 'usr_old', 'old.pdf', 'application/pdf', 1, 1, 'd', 3, 'o', 's', '[]', 'k', 'h', '00');
     INSERT INTO "PaymentLink" ("id", "slug", "objectId", "ownerId", "payTo", "amount", "network", "asset", "expiresAt", "purchaseCount")
     VALUES ('lnk_old', 'oldslug', 'obj_old', 'usr_old', '0x000000000000000000000000000000000000dEaD', 250000, 'eip155:8453',
       '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913', now() + interval '1 day', 3)`,
  );
  const { applied } = await applyMigrations(database.url);
  expect(applied.some((n) => n.endsWith("_multi_network_links"))).toBe(true);

  const [link] = await sql<{ network: string; asset: string; networks: string[]; assets: string[]; amount: string; purchaseCount: number }>(
    database.url,
    `SELECT "network", "asset", "networks", "assets", "amount"::text AS "amount", "purchaseCount" FROM "PaymentLink" WHERE "id" = 'lnk_old'`,
  );
  expect(link).toEqual({
    network: "eip155:8453",
    asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
    networks: ["eip155:8453"],
    assets: ["0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"],
    amount: "250000",
    purchaseCount: 3,
  });
});
