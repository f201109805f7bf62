import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "../scripts/lib/migrations";
import { startDevnet } from "../scripts/lib/devnet";
import { startApp } from "../tests/support/app-server";
import { ensureBuild } from "../tests/support/build";
import { freshDatabase } from "../tests/support/database";
import { freePort } from "../tests/support/ports";

/**
 * Starts the real local chain (Hardhat + test USDC), a fresh database (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set) and the production build, and hands their coordinates to the specs
 * through the environment: E2E_BASE_URL, E2E_RPC_URL, E2E_CHAIN_ID, E2E_ASSET.
 */
export default async function globalSetup() {
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-e2e-"));
  const chain = await startDevnet({ dataDir, port: Number(process.env.E2E_CHAIN_PORT ?? (await freePort())), quiet: true });
  const database = await freshDatabase(dataDir);
  await applyMigrations(database.url);
  const appPort = Number(process.env.E2E_APP_PORT ?? (await freePort()));
  const url = `http://127.0.0.1:${appPort}`;
  const app = await startApp({
    port: appPort,
    env: {
      NODE_ENV: "production",
      VEND_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret",
      MAX_UPLOAD_BYTES: String(8 * 1024 * 1024),
    },
  });
  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_RPC_URL = chain.rpcUrl;
  process.env.E2E_CHAIN_ID = String(chain.chainId);
  process.env.E2E_ASSET = chain.asset;
  return async () => {
    await app.stop();
    await chain.stop();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
