import path from "node:path";
import { applyMigrations, createMigration, diffMigrationsAgainstSchema } from "./lib/migrations";

/**
 * Database CLI (the Prisma CLI's migrate commands cannot run offline; see scripts/lib/migrations.ts):
 *   npx tsx scripts/db.ts migrate       apply pending migrations to DATABASE_URL
 *                                       (default pglite:<VEND_DATA_DIR or .vend>/db)
 *   npx tsx scripts/db.ts new <name>    author prisma/migrations/<timestamp>_<name> from schema.prisma
 *   npx tsx scripts/db.ts check         exit 1 and print the SQL when migrations and schema.prisma differ
 * Exits explicitly: the schema engine's timers would keep Node alive ~10 s.
 */

const USAGE = "usage: npx tsx scripts/db.ts migrate | new <name> | check";

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "migrate": {
      const url =
        process.env.DATABASE_URL || `pglite:${path.join(path.resolve(process.env.VEND_DATA_DIR || ".vend"), "db")}`;
      const started = performance.now();
      const { applied } = await applyMigrations(url, { log: (line) => console.log(line) });
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      console.log(
        applied.length === 0
          ? `No pending migrations: ${redact(url)} is up to date (${seconds} s).`
          : `Applied ${applied.length} migration(s) to ${redact(url)} in ${seconds} s:\n${applied.map((n) => `  ${n}`).join("\n")}`,
      );
      return 0;
    }
    case "new": {
      const name = rest.join("_");
      if (!name) {
        console.error(USAGE);
        return 2;
      }
      const dir = await createMigration(name);
      console.log(dir ? `Created ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}` : "No schema changes: no migration created.");
      return 0;
    }
    case "check": {
      const sql = await diffMigrationsAgainstSchema();
      if (sql) {
        console.error("prisma/migrations and prisma/schema.prisma disagree. Missing SQL (author it with `npx tsx scripts/db.ts new <name>`):\n");
        console.log(sql);
        return 1;
      }
      console.log("migrations match schema.prisma");
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

/** Hides the password of a postgresql:// URL. */
function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, "$1***@");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
