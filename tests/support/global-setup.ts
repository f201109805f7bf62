import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startDevnet } from "../../scripts/lib/devnet";
import { startApp } from "./app-server";
import { ensureBuild } from "./build";
import { freshDatabase } from "./database";
import { freePort } from "./ports";

/** Small on purpose: the suite checks that a larger upload is refused with 413. */
export const TEST_MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    rpcUrl: string;
    chainId: number;
    asset: `0x${string}`;
    databaseKind: "postgres" | "pglite";
    maxUploadBytes: number;
  }
}

/**
 * Global setup of the `api` project: the real local chain (Hardhat + test USDC), a fresh database
 * (PGlite, or PostgreSQL when TEST_DATABASE_URL is set) migrated with the project's migrations,
 * and the production build of the app under `next start`. Everything is torn down afterwards.
 */
export default async function setup(project: TestProject) {
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-api-"));
  const chainPort = Number(process.env.TEST_CHAIN_PORT ?? (await freePort()));
  const appPort = Number(process.env.TEST_APP_PORT ?? (await freePort()));
  const chain = await startDevnet({ dataDir, port: chainPort, quiet: true });
  const database = await freshDatabase(dataDir);
  let app;
  try {
    await applyMigrations(database.url);
    const url = `http://127.0.0.1:${appPort}`;
    app = await startApp({
      port: appPort,
      env: {
        NODE_ENV: "production",
        VEND_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        APP_URL: url,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: "test-secret-test-secret-test-secret",
        MAX_UPLOAD_BYTES: String(TEST_MAX_UPLOAD_BYTES),
      },
    });
  } catch (error) {
    await chain.stop();
    await database.drop();
    throw error;
  }
  project.provide("baseUrl", app.url);
  project.provide("rpcUrl", chain.rpcUrl);
  project.provide("chainId", chain.chainId);
  project.provide("asset", chain.asset);
  project.provide("databaseKind", database.kind);
  project.provide("maxUploadBytes", TEST_MAX_UPLOAD_BYTES);
  return async () => {
    await app.stop();
    await chain.stop();
    await database.drop();
    if (process.env.VEND_KEEP_TEST_DATA !== "1") rmSync(dataDir, { recursive: true, force: true });
  };
}
