import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import type { Client as PgClient } from "pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine, SchemaFilter } from "@prisma/schema-engine-wasm/schema_engine_bg";
import { acquireDirectoryLock, releaseDirectoryLock } from "../../lib/db-lock";

/**
 * Prisma migrations without the Prisma CLI (which cannot run on offline machines: it downloads its
 * native schema engine first). Same layout as Prisma (`prisma/migrations/<timestamp>_<name>/migration.sql`
 * + `migration_lock.toml`), same `_prisma_migrations` bookkeeping, so `prisma migrate deploy/status/dev`
 * accept a database migrated here, and vice versa.
 *
 * - applying: plain SQL over `pg` or `@electric-sql/pglite`, replaying what Prisma's schema engine does;
 * - authoring and drift checks: Prisma's own schema engine compiled to WASM
 *   (`@prisma/schema-engine-wasm`), on in-memory PGlite databases.
 *
 * Kept free of `server-only` (imported by scripts and tests run outside Next).
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const DEFAULT_MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");
const DEFAULT_SCHEMA_PATH = path.join(ROOT, "prisma", "schema.prisma");
const LOCKFILE = "migration_lock.toml";
const SCRIPT = "migration.sql";
const RESOLVE_URL = "https://pris.ly/d/migrate-resolve";

/** The advisory lock key Prisma's schema engine takes while migrating a PostgreSQL database. */
const ADVISORY_LOCK_KEY = 72707369;

/** The schema engine's DDL for its bookkeeping table, byte for byte. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

type MigrationRow = {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  rolled_back_at: Date | null;
  started_at: Date;
};

/** One database session: parameterized queries, simple-protocol scripts. */
type Session = {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  script(sql: string): Promise<void>;
  close(): Promise<void>;
};

type LocalMigration = { name: string; script: string; checksum: string };

/** Fields shared by `pg`'s and PGlite's `DatabaseError`. */
type PostgresError = Error & {
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  column?: string;
};

/**
 * Applies the pending migrations of `migrationsDir` (default `prisma/migrations`) to the database at
 * `url`, exactly as Prisma's schema engine (`prisma migrate deploy`) does:
 * - takes `pg_advisory_lock(72707369)` for the session (released at the end);
 * - creates `_prisma_migrations` with the engine's DDL when it is missing;
 * - refuses (P3009) while a row is unfinished and not rolled back;
 * - for each directory (sorted by name) without a non-rolled-back row: inserts a row (uuid,
 *   checksum = lowercase sha256 hex of `migration.sql`, name), runs the file as one simple-protocol
 *   script (PGlite `exec`, `pg` simple query: one implicit transaction unless the file has its own),
 *   then sets `applied_steps_count = applied_steps_count + 1` and `finished_at = now()`.
 *   On error the row keeps `finished_at = NULL` and gets the error in `logs`.
 *
 * @param url `pglite:<dir>` (its parent directory is created; the directory lock `<dir>.lock` from
 *   lib/db-lock.ts is held while migrating and PGlite is closed afterwards, so another process can
 *   open the directory next) or `postgres://` / `postgresql://…` (through `pg`).
 * @param opts.migrationsDir directory holding `<timestamp>_<name>/migration.sql` (default: the repo's).
 * @param opts.log receives one human-readable line per step (default: silent).
 * @returns the names of the migrations applied by this call, in order (empty when up to date).
 * @throws Error when the URL is not supported, the PGlite directory is locked (by another process, or
 *   already opened by this one), `migration_lock.toml` names another provider, a migration directory
 *   has no `migration.sql`, a failed migration is unresolved (P3009), or a migration fails (P3018;
 *   the message carries the database error, also written to the row's `logs`).
 */
export async function applyMigrations(
  url: string,
  opts: { migrationsDir?: string; log?: (line: string) => void } = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const migrationsDir = path.resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const local = readLocalMigrations(migrationsDir);
  const session = await openSession(url);
  try {
    await session.query(`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})`);
    try {
      return { applied: await applyWithLock(session, local, log) };
    } finally {
      // Closing the session releases the lock too; an unlock error must not hide the migration's error.
      await session.query(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY})`).catch(() => {});
    }
  } finally {
    await session.close();
  }
}

async function applyWithLock(session: Session, local: LocalMigration[], log: (line: string) => void): Promise<string[]> {
  const [table] = await session.query<{ exists: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM pg_class AS tbl
       INNER JOIN pg_namespace AS namespace ON namespace.oid = tbl.relnamespace
       WHERE tbl.relkind = 'r' AND tbl.relname = '_prisma_migrations' AND namespace.nspname = current_schema()
     ) AS "exists"`,
  );
  if (!table?.exists) {
    log("Creating the _prisma_migrations table");
    await session.query(MIGRATIONS_TABLE_DDL);
  }
  const rows = await session.query<MigrationRow>(
    `SELECT "id", "checksum", "finished_at", "migration_name", "rolled_back_at", "started_at"
     FROM "_prisma_migrations" ORDER BY "started_at" ASC`,
  );

  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) throw new Error(failedMigrationMessage(failed));

  const active = rows.filter((row) => row.rolled_back_at === null);
  for (const row of active) {
    const file = local.find((m) => m.name === row.migration_name);
    if (file && file.checksum !== row.checksum) {
      log(`Warning: migration \`${row.migration_name}\` was modified after it was applied (checksum differs)`);
    }
  }

  const pending = local.filter((m) => !active.some((row) => row.migration_name === m.name));
  const applied: string[] = [];
  for (const migration of pending) {
    log(`Applying migration \`${migration.name}\``);
    const id = randomUUID();
    await session.query(`INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name") VALUES ($1, $2, $3)`, [
      id,
      migration.checksum,
      migration.name,
    ]);
    try {
      await session.script(migration.script);
    } catch (error) {
      const logs = databaseErrorText(error);
      await recordFailure(session, id, logs);
      throw new Error(
        `A migration failed to apply. New migrations cannot be applied before the error is recovered from. ` +
          `Read more about how to resolve migration issues in a production database: ${RESOLVE_URL}\n\n` +
          `Migration name: ${migration.name}\n\n${logs}`,
        { cause: error },
      );
    }
    await session.query(
      `UPDATE "_prisma_migrations" SET "applied_steps_count" = ("applied_steps_count" + $1) WHERE "id" = $2`,
      [1, id],
    );
    await session.query(`UPDATE "_prisma_migrations" SET "finished_at" = now() WHERE "id" = $1`, [id]);
    applied.push(migration.name);
  }
  return applied;
}

/** Writes `logs` for a failed migration; a script that opened its own transaction is rolled back first. */
async function recordFailure(session: Session, id: string, logs: string): Promise<void> {
  const update = () => session.query(`UPDATE "_prisma_migrations" SET "logs" = $1 WHERE "id" = $2`, [logs, id]);
  try {
    await update();
  } catch (error) {
    if ((error as PostgresError).code !== "25P02") throw error;
    await session.query("ROLLBACK");
    await update();
  }
}

function failedMigrationMessage(row: MigrationRow): string {
  const name = row.migration_name;
  const literal = `'${name.replaceAll("'", "''")}'`;
  return (
    `migrate found failed migrations in the target database, new migrations will not be applied. ` +
    `Read more about how to resolve migration issues in a production database: ${RESOLVE_URL}\n` +
    `The \`${name}\` migration started at ${row.started_at.toISOString()} failed.\n` +
    `Repair the database by hand (the error is in _prisma_migrations.logs), then mark the migration rolled back ` +
    `(what \`prisma migrate resolve --rolled-back ${name}\` does):\n` +
    `  UPDATE "_prisma_migrations" SET "rolled_back_at" = now() WHERE "migration_name" = ${literal} ` +
    `AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;`
  );
}

function databaseErrorText(error: unknown): string {
  const e = error as PostgresError;
  const lines = [`Database error code: ${e.code ?? "unknown"}`, "", "Database error:", `ERROR: ${e.message ?? String(error)}`];
  if (e.detail) lines.push(`DETAIL: ${e.detail}`);
  if (e.hint) lines.push(`HINT: ${e.hint}`);
  if (e.position) lines.push(`POSITION: ${e.position}`);
  if (e.where) lines.push(`WHERE: ${e.where}`);
  return lines.join("\n");
}

/** Reads `<dir>/<name>/migration.sql` for every subdirectory, sorted like the Prisma CLI does. */
function readLocalMigrations(dir: string): LocalMigration[] {
  checkLockfileProvider(dir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const file = path.join(dir, name, SCRIPT);
      if (!existsSync(file)) throw new Error(`Migration directory ${path.join(dir, name)} has no ${SCRIPT}.`);
      const bytes = readFileSync(file);
      return { name, script: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") };
    });
}

function checkLockfileProvider(dir: string): void {
  const lockfile = path.join(dir, LOCKFILE);
  if (!existsSync(lockfile)) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockfile, "utf8"))?.[1];
  if (provider !== undefined && provider !== "postgresql") {
    throw new Error(`${lockfile} is for provider "${provider}"; these migrations need "postgresql".`);
  }
}

async function openSession(url: string): Promise<Session> {
  if (url.startsWith("pglite:")) return openPGliteSession(url.slice("pglite:".length));
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPgSession(url);
  throw new Error(`The database URL must start with pglite:, postgres:// or postgresql:// (got "${url.split(":")[0]}:")`);
}

async function openPGliteSession(location: string): Promise<Session> {
  if (!location) throw new Error("pglite: URL without a directory");
  const dir = path.resolve(location);
  const lockPath = `${dir}.lock`;
  if (existsSync(lockPath) && Number(readFileSync(lockPath, "utf8").trim()) === process.pid) {
    throw new Error(
      `The embedded database ${dir} is already open in this process: apply migrations before opening it.`,
    );
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  acquireDirectoryLock(dir);
  let db: PGlite;
  try {
    const { PGlite } = await import("@electric-sql/pglite");
    db = await PGlite.create(dir);
  } catch (error) {
    releaseDirectoryLock(dir);
    throw error;
  }
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    async script(sql: string) {
      await db.exec(sql);
    },
    async close() {
      try {
        await db.close();
      } finally {
        releaseDirectoryLock(dir);
      }
    },
  };
}

async function openPgSession(url: string): Promise<Session> {
  const { default: pg } = await import("pg");
  const client: PgClient = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    async query<T>(sql: string, params?: unknown[]) {
      return (await client.query(sql, params)).rows as T[];
    },
    async script(sql: string) {
      await client.query(sql);
    },
    async close() {
      await client.end();
    },
  };
}

/**
 * Authors a new migration, like `prisma migrate dev --create-only`, with Prisma's schema engine in
 * WASM against in-memory PGlite databases (the dev database and its shadow databases): the engine
 * applies the existing migrations to the dev database (`applyMigrations`), checks them against a
 * shadow database (`devDiagnostic`), then diffs against the schema (`createMigration`). This order is
 * required: without the first two steps, `createMigration` fails with "PostgreSQL shadow DB must be
 * provided through an external factory" as soon as a migration exists.
 *
 * Writes `<migrationsDir>/<YYYYMMDDHHMMSS>_<name>/migration.sql` (UTC timestamp from the engine) and
 * `<migrationsDir>/migration_lock.toml` (`provider = "postgresql"`), as the Prisma CLI does.
 *
 * @param name migration name; lowercased, runs of other characters than `[a-z0-9]` become `_`.
 * @param opts.migrationsDir default `prisma/migrations`; opts.schemaPath default `prisma/schema.prisma`.
 * @returns the absolute path of the new migration directory, or null when the schema has no changes.
 * @throws Error when the name is empty after cleaning, an existing migration fails to apply, the
 *   engine asks for a reset (the migrations no longer replay cleanly), the new directory would sort
 *   before the last existing one (clock behind, or same second with a smaller name), or it exists.
 */
export async function createMigration(
  name: string,
  opts: { migrationsDir?: string; schemaPath?: string } = {},
): Promise<string | null> {
  const migrationName = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 200);
  if (!migrationName) throw new Error(`Invalid migration name "${name}": use letters, digits and underscores.`);
  const migrationsDir = path.resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const schema = readSchema(opts.schemaPath);
  const migrationsList = listMigrationsForEngine(migrationsDir);

  const output = await withEngine(schema, async (engine) => {
    await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
    const diagnostic = await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
    if (diagnostic.action.tag === "reset") {
      throw new Error(`The migrations do not replay cleanly on an empty database: ${diagnostic.action.reason}`);
    }
    return engine.createMigration({
      draft: false,
      migrationName,
      migrationsList,
      schema: { files: [schema] },
      filters: NO_FILTER,
    });
  });
  if (output.migrationScript === null) return null;

  const last = migrationsList.migrationDirectories.at(-1)?.path;
  if (last !== undefined && output.generatedMigrationName.localeCompare(last) <= 0) {
    throw new Error(
      `The new migration ${output.generatedMigrationName} would sort before ${last} and run out of order: ` +
        `check the clock, or wait a second and retry.`,
    );
  }
  const dir = path.join(migrationsDir, output.generatedMigrationName);
  if (existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `migration.${output.extension}`), output.migrationScript, "utf8");
  writeFileSync(
    path.join(migrationsDir, LOCKFILE),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${output.connectorType}"\n`,
    "utf8",
  );
  return dir;
}

/**
 * The SQL that would bring a database built from the migrations to `schema.prisma`: the engine's
 * `diff` from the migrations (replayed on an in-memory PGlite shadow database) to the datamodel.
 * Used as the CI drift check.
 *
 * @param opts.migrationsDir default `prisma/migrations`; opts.schemaPath default `prisma/schema.prisma`.
 * @returns the SQL script, or "" when the migrations and the schema agree.
 * @throws Error when a migration fails to replay or the schema is invalid (the engine's message).
 */
export async function diffMigrationsAgainstSchema(
  opts: { migrationsDir?: string; schemaPath?: string } = {},
): Promise<string> {
  const schema = readSchema(opts.schemaPath);
  const migrationsList = listMigrationsForEngine(path.resolve(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR));
  const result = await withEngine(schema, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    }),
  );
  return result.exitCode === 0 ? "" : (result.stdout ?? "");
}

function readSchema(schemaPath?: string): { path: string; content: string } {
  const file = path.resolve(schemaPath ?? DEFAULT_SCHEMA_PATH);
  return { path: file, content: readFileSync(file, "utf8") };
}

/** The engine's `MigrationList`, built like the Prisma CLI builds it. */
function listMigrationsForEngine(baseDir: string): MigrationList {
  const lockPath = path.join(baseDir, LOCKFILE);
  const lockfile = { path: LOCKFILE, content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null };
  const names = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort((a, b) => a.localeCompare(b))
    : [];
  return {
    baseDir,
    lockfile,
    shadowDbInitScript: "",
    migrationDirectories: names.map((dirName) => {
      const file = path.join(baseDir, dirName, SCRIPT);
      let content: { tag: "ok"; value: string } | { tag: "error"; value: string };
      try {
        content = { tag: "ok", value: readFileSync(file, "utf8") };
      } catch (error) {
        content = { tag: "error", value: (error as Error).message };
      }
      return { path: dirName, migrationFile: { path: SCRIPT, content } };
    }),
  };
}

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
let engineModule: Promise<EngineModule> | undefined;

/** Loads the engine's wasm-bindgen glue and instantiates its WASM (once per process). */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const registry = globalThis as typeof globalThis & {
      PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void };
    };
    registry.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        process.stderr.write(`Prisma schema engine panic: ${message}\n`);
      },
    };
    const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    return glue;
  })();
  return engineModule;
}

/**
 * Runs `work` with a schema engine on in-memory PGlite databases, then frees the engine and closes
 * every PGlite it opened. The engine's own timers keep Node alive for ~10 s afterwards: CLIs exit.
 */
async function withEngine<T>(schema: { path: string; content: string }, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const [glue, { PGlite }, { PrismaPGlite }, { bindMigrationAwareSqlAdapterFactory }] = await Promise.all([
    loadEngineModule(),
    import("@electric-sql/pglite"),
    import("pglite-prisma-adapter"),
    import("@prisma/driver-adapter-utils"),
  ]);
  const opened = new Set<PGlite>();
  const close = async (db: PGlite) => {
    if (!opened.delete(db)) return;
    await db.close();
  };
  const open = async () => {
    const db = await PGlite.create();
    opened.add(db);
    return db;
  };
  let dev: Promise<PGlite> | undefined;

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pglite",
    async connect() {
      dev ??= open();
      const db = await dev;
      return awaitScripts(await new PrismaPGlite(db).connect(), db, async () => {});
    },
    async connectToShadowDb() {
      const db = await open();
      return awaitScripts(await new PrismaPGlite(db).connect(), db, () => close(db));
    },
  };

  const engine = await glue.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.all([...opened].map(close));
  }
}

/**
 * Wraps a pglite-prisma-adapter 0.7.2 adapter so that `executeScript` awaits PGlite's `exec`: the
 * adapter fires it without awaiting, so a failing script reports success (a broken migration is then
 * accepted) and its error surfaces later as an unhandled rejection.
 */
function awaitScripts(adapter: SqlDriverAdapter, db: PGlite, onDispose: () => Promise<void>): SqlDriverAdapter {
  const { getConnectionInfo } = adapter;
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    ...(getConnectionInfo ? { getConnectionInfo: () => getConnectionInfo.call(adapter) } : {}),
    async executeScript(script: string) {
      try {
        await db.exec(script);
      } catch (error) {
        throw await toDriverAdapterError(error);
      }
    },
    async dispose() {
      await adapter.dispose();
      await onDispose();
    },
  };
}

/** Maps a PostgreSQL error to the adapter error the engine reports (`kind: "postgres"`). */
async function toDriverAdapterError(error: unknown): Promise<unknown> {
  const e = error as PostgresError;
  if (typeof e?.code !== "string" || typeof e.message !== "string") return error;
  const { DriverAdapterError } = await import("@prisma/driver-adapter-utils");
  return new DriverAdapterError({
    kind: "postgres",
    code: e.code,
    severity: e.severity ?? "N/A",
    message: e.message,
    detail: e.detail,
    column: e.column,
    hint: e.hint,
    originalCode: e.code,
    originalMessage: e.message,
  });
}
