import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { startApp } from "../support/app-server";
import { freePort } from "../support/ports";

/**
 * Readiness and the refusal to start on an unmigrated database, each on its own `next start` of the
 * production build (the suite's shared server is healthy by construction).
 */

const dirs: string[] = [];
const databases: FreshDatabase[] = [];

afterAll(async () => {
  for (const database of databases) await database.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function unmigratedDatabase(): Promise<{ dir: string; url: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "vend-health-"));
  dirs.push(dir);
  const database = await freshDatabase(dir, process.env.TEST_DATABASE_URL, "vend_health");
  databases.push(database);
  return { dir, url: database.url };
}

const baseEnv = (dir: string, url: string): Record<string, string> => ({
  NODE_ENV: "production",
  VEND_DATA_DIR: dir,
  DATABASE_URL: url,
  NEXTAUTH_SECRET: "health-secret-health-secret-health",
});

describe("npm start on an unmigrated database", () => {
  it("refuses to serve and names npm run db:migrate", async () => {
    const { dir, url } = await unmigratedDatabase();
    const root = path.resolve(import.meta.dirname, "../..");
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(await freePort()), "-H", "127.0.0.1"], {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...baseEnv(dir, url) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("the database is not migrated");
    expect(output).toContain("npm run db:migrate");
    expect(output).toMatch(/Pending migrations: \d{14}_init/);
  });
});

describe("GET /api/health", () => {
  it("answers 503 with what is wrong: an unmigrated database, missing storage settings, an unreachable RPC", async () => {
    const { dir, url } = await unmigratedDatabase();
    // VERCEL=1: a function starts whatever the database (the build migrates); readiness tells.
    const app = await startApp({
      port: await freePort(),
      env: { ...baseEnv(dir, url), VERCEL: "1", STORAGE_DRIVER: "s3", S3_REGION: "us-east-1", RPC_URL_BASE_SEPOLIA: `http://127.0.0.1:${await freePort()}` },
    });
    try {
      expect((await fetch(`${app.url}/api/health/live`)).status).toBe(200);
      const res = await fetch(`${app.url}/api/health`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.ready).toBe(false);
      expect(body.checks.database).toMatchObject({ ok: false, problem: expect.stringContaining("npm run db:migrate") });
      expect(body.checks.database.pending.length).toBeGreaterThan(0);
      expect(body.checks.storage).toMatchObject({ ok: false, driver: "s3", problem: expect.stringContaining("S3_BUCKET is required") });
      expect(body.checks.networks["eip155:84532"]).toMatchObject({ ok: false, problem: expect.stringContaining("unreachable") });
    } finally {
      await app.stop();
    }
  });
});
