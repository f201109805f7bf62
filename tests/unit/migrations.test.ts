import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations, createMigration, diffMigrationsAgainstSchema } from "@/scripts/lib/migrations";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const REPO_MIGRATIONS = path.join(ROOT, "prisma", "migrations");
const REPO_SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
/** Creating a PGlite database takes 1.5-5 s on a busy 2-CPU machine; a schema-engine run starts several. */
const SLOW_TIMEOUT = 120_000;
const MODEL_TABLES = ["ApiKey", "Payment", "PaymentLink", "SiweNonce", "StoredObject", "User"];

const scratch = mkdtempSync(path.join(tmpdir(), "vend-migrations-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tempDir(prefix: string): string {
  return mkdtempSync(path.join(scratch, `${prefix}-`));
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

function repoMigrationNames(): string[] {
  return readdirSync(REPO_MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

type Row = Record<string, unknown>;

/** A fresh, empty database of one kind, with a side door for assertions. */
type Database = {
  url: string;
  /** Runs one query on a separate connection (opened and closed per call). */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  prisma(): Promise<{ client: PrismaClient; close(): Promise<void> }>;
};

type Target = { name: string; fresh(): Promise<Database> };

const pgliteTarget: Target = {
  name: "PGlite",
  async fresh() {
    const dir = path.join(tempDir("pglite"), "db");
    return {
      url: `pglite:${dir}`,
      async query(sql, params) {
        const db = await PGlite.create(dir);
        try {
          return (await db.query<Row>(sql, params)).rows;
        } finally {
          await db.close();
        }
      },
      async prisma() {
        const db = await PGlite.create(dir);
        const client = new PrismaClient({ adapter: new PrismaPGlite(db) });
        return {
          client,
          async close() {
            await client.$disconnect();
            await db.close();
          },
        };
      },
    };
  },
};

const createdDatabases: string[] = [];
const serverUrl = process.env.TEST_DATABASE_URL ?? "";
const postgresTarget: Target = {
  name: "PostgreSQL",
  async fresh() {
    const name = `vend_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    createdDatabases.push(name);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const connectionString = url.toString();
    return {
      url: connectionString,
      async query(sql, params) {
        const client = new pg.Client({ connectionString });
        await client.connect();
        try {
          return (await client.query<Row>(sql, params)).rows;
        } finally {
          await client.end();
        }
      },
      async prisma() {
        const client = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
        return { client, close: () => client.$disconnect() };
      },
    };
  },
};

afterAll(async () => {
  if (createdDatabases.length === 0) return;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const name of createdDatabases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});

const targets = /^postgres(ql)?:\/\//.test(serverUrl) ? [pgliteTarget, postgresTarget] : [pgliteTarget];

describe.each(targets)("applyMigrations on $name", (target) => {
  it("creates the tables, records each migration with its checksum, then applies nothing", async () => {
    const db = await target.fresh();
    const lines: string[] = [];
    const names = repoMigrationNames();
    expect(names.length).toBeGreaterThan(0);

    const first = await applyMigrations(db.url, { log: (line) => lines.push(line) });
    expect(first.applied).toEqual(names);
    expect(lines).toContain(`Applying migration \`${names[0]}\``);
    if (db.url.startsWith("pglite:")) expect(existsSync(`${db.url.slice("pglite:".length)}.lock`)).toBe(false);

    const tables = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));

    const columns = await db.query(
      `SELECT column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ["id", "character varying", "NO"],
      ["checksum", "character varying", "NO"],
      ["finished_at", "timestamp with time zone", "YES"],
      ["migration_name", "character varying", "NO"],
      ["logs", "text", "YES"],
      ["rolled_back_at", "timestamp with time zone", "YES"],
      ["started_at", "timestamp with time zone", "NO"],
      ["applied_steps_count", "integer", "NO"],
    ]);

    const rows = await db.query(`SELECT * FROM "_prisma_migrations" ORDER BY "started_at", "migration_name"`);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(path.join(REPO_MIGRATIONS, String(row.migration_name), "migration.sql")));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    const second = await applyMigrations(db.url);
    expect(second.applied).toEqual([]);
    expect(await db.query(`SELECT id FROM "_prisma_migrations"`)).toHaveLength(rows.length);
  }, SLOW_TIMEOUT);

  it("rejects a broken migration, records its logs and refuses to go on until it is resolved", async () => {
    const db = await target.fresh();
    const dir = tempDir("broken");
    writeMigration(dir, "20200101000000_ok", `CREATE TABLE "a" ("id" INTEGER);\n`);
    writeMigration(dir, "20200102000000_broken", `CREATE TABLE "b" ("id" INTEGER);\nSELECT 1/0;\n`);

    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(
      /A migration failed to apply[\s\S]*20200102000000_broken[\s\S]*division by zero/,
    );
    const rows = await db.query(
      `SELECT "migration_name", "finished_at", "rolled_back_at", "logs", "applied_steps_count"
       FROM "_prisma_migrations" ORDER BY "started_at"`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(["20200101000000_ok", "20200102000000_broken"]);
    expect(rows[0]?.finished_at).toBeInstanceOf(Date);
    expect(rows[1]).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(rows[1]?.logs).toMatch(/22012[\s\S]*division by zero/);
    const afterFailure = await db.query(`SELECT to_regclass('"a"')::text AS a, to_regclass('"b"')::text AS b`);
    expect(afterFailure[0]).toEqual({ a: "a", b: null });

    writeMigration(dir, "20200102000000_broken", `CREATE TABLE "b" ("id" INTEGER);\n`);
    writeMigration(dir, "20200103000000_next", `CREATE TABLE "c" ("id" INTEGER);\n`);
    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(
      /failed migrations[\s\S]*20200102000000_broken/,
    );
    expect(await db.query(`SELECT to_regclass('"c"')::text AS c`)).toEqual([{ c: null }]);

    await db.query(
      `UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "migration_name" = $1 AND "finished_at" IS NULL`,
      ["20200102000000_broken"],
    );
    writeMigration(dir, "20200104000000_own_transaction", `BEGIN;\nCREATE TABLE "d" ("id" INTEGER);\nSELECT 1/0;\nCOMMIT;\n`);
    await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(/20200104000000_own_transaction/);

    const finished = await db.query(
      `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL ORDER BY "started_at"`,
    );
    expect(finished.map((r) => r.migration_name)).toEqual([
      "20200101000000_ok",
      "20200102000000_broken",
      "20200103000000_next",
    ]);
    const ownTransaction = await db.query(
      `SELECT "logs" FROM "_prisma_migrations" WHERE "migration_name" = '20200104000000_own_transaction'`,
    );
    expect(ownTransaction[0]?.logs).toMatch(/division by zero/);
    const tables = await db.query(`SELECT to_regclass('"b"')::text AS b, to_regclass('"d"')::text AS d`);
    expect(tables[0]).toEqual({ b: "b", d: null });
  }, SLOW_TIMEOUT);

  it("gives a Prisma client a working schema: User, StoredObject, PaymentLink, Payment with BigInt amounts", async () => {
    const db = await target.fresh();
    await applyMigrations(db.url);
    const { client, close } = await db.prisma();
    try {
      const big = 2n ** 62n + 7n;
      await client.user.create({ data: { id: "u1", address: "0x00000000000000000000000000000000000000A1" } });
      await client.storedObject.create({
        data: {
          id: "o1",
          ownerId: "u1",
          name: "report.pdf",
          contentType: "application/pdf",
          size: 5_000_000_000n,
          dataOffset: 1044n,
          dataItemId: "di1",
          signatureType: 3,
          dataItemOwner: "owner",
          signer: "0x00000000000000000000000000000000000000A1",
          tags: [{ name: "Content-Type", value: "application/pdf" }],
          storageKey: "objects/o1",
          headerKey: "headers/o1",
          sha256: "00".repeat(32),
        },
      });
      await client.paymentLink.create({
        data: {
          id: "l1",
          slug: "abc",
          objectId: "o1",
          ownerId: "u1",
          payTo: "0x00000000000000000000000000000000000000A1",
          amount: big,
          network: "eip155:31337",
          asset: "0x00000000000000000000000000000000000000B2",
          expiresAt: new Date("2030-01-01T00:00:00Z"),
        },
      });
      await client.payment.create({
        data: {
          id: "p1",
          linkId: "l1",
          payer: "0x00000000000000000000000000000000000000C3",
          amount: big,
          network: "eip155:31337",
          asset: "0x00000000000000000000000000000000000000B2",
          nonce: "0x01",
          validBefore: 18_446_744_073n,
          signature: "0xsig",
          x402Version: 2,
          status: "settled",
        },
      });

      const link = await client.paymentLink.findUniqueOrThrow({
        where: { slug: "abc" },
        include: { object: true, owner: true, payments: true },
      });
      expect(link.amount).toBe(big);
      expect(link.accessSeconds).toBe(86400);
      expect(link.object.size).toBe(5_000_000_000n);
      expect(link.owner.address).toBe("0x00000000000000000000000000000000000000A1");
      expect(link.payments).toHaveLength(1);
      expect(link.payments[0]).toMatchObject({ amount: big, validBefore: 18_446_744_073n, status: "settled" });
      await expect(
        client.payment.create({
          data: { ...link.payments[0]!, id: "p2", updatedAt: undefined, createdAt: undefined },
        }),
      ).rejects.toMatchObject({ code: "P2002" });
    } finally {
      await close();
    }
  }, SLOW_TIMEOUT);
});

describe("the PGlite directory lock", () => {
  it("refuses a directory locked by another live process", async () => {
    const dir = path.join(tempDir("locked"), "db");
    writeFileSync(`${dir}.lock`, String(process.ppid));
    await expect(applyMigrations(`pglite:${dir}`)).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.ppid));
  });

  it("refuses a directory this process already has open", async () => {
    const dir = path.join(tempDir("open"), "db");
    writeFileSync(`${dir}.lock`, String(process.pid));
    await expect(applyMigrations(`pglite:${dir}`)).rejects.toThrow(/already open in this process/);
    expect(existsSync(`${dir}.lock`)).toBe(true);
  });
});

describe("authoring and drift", () => {
  const changedSchema = path.join(scratch, "changed.prisma");
  writeFileSync(
    changedSchema,
    readFileSync(REPO_SCHEMA, "utf8").replace(/^(\s*)lastUsedAt(\s+)DateTime\?$/m, "$1lastUsedAt$2DateTime?\n$1label      String?"),
  );

  it("finds no drift between the repo's migrations and schema.prisma", async () => {
    expect(await diffMigrationsAgainstSchema()).toBe("");
  }, SLOW_TIMEOUT);

  it("reports the SQL a schema change needs", async () => {
    expect(readFileSync(changedSchema, "utf8")).toContain("label      String?");
    const sql = await diffMigrationsAgainstSchema({ schemaPath: changedSchema });
    expect(sql).toMatch(/ALTER TABLE "ApiKey" ADD COLUMN\s+"label" TEXT;/);
  }, SLOW_TIMEOUT);

  it("fails when a migration does not replay on the shadow database", async () => {
    const dir = tempDir("unreplayable");
    writeFileSync(path.join(dir, "migration_lock.toml"), `provider = "postgresql"\n`);
    writeMigration(dir, "20200101000000_broken", `CREATE TABLE "x" ("id" INTEGER);\nSELECT 1/0;\n`);
    await expect(diffMigrationsAgainstSchema({ migrationsDir: dir })).rejects.toThrow(/division by zero/);
  }, SLOW_TIMEOUT);

  it("authors migrations that replay to the schema, and nothing when there is no change", async () => {
    const dir = tempDir("authored");
    const initial = await createMigration("Initial schema", { migrationsDir: dir });
    expect(initial).not.toBeNull();
    expect(path.basename(initial!)).toMatch(/^\d{14}_initial_schema$/);
    expect(readFileSync(path.join(initial!, "migration.sql"), "utf8")).toContain(`CREATE TABLE "PaymentLink"`);
    expect(readFileSync(path.join(dir, "migration_lock.toml"), "utf8")).toMatch(/^provider = "postgresql"$/m);
    expect(await createMigration("again", { migrationsDir: dir })).toBeNull();

    const added = await createMigration("label column", { migrationsDir: dir, schemaPath: changedSchema });
    expect(added).not.toBeNull();
    expect(readFileSync(path.join(added!, "migration.sql"), "utf8")).toMatch(/ALTER TABLE "ApiKey" ADD COLUMN\s+"label" TEXT;/);
    expect(await diffMigrationsAgainstSchema({ migrationsDir: dir, schemaPath: changedSchema })).toBe("");
  }, SLOW_TIMEOUT * 2);
});
