import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startApp, type AppServer } from "./app-server";
import { ensureBuild } from "./build";
import { freePort } from "./ports";

/** Everything a suite runs against; `stop()` tears it all down. */
export type Stack = { app: AppServer; chain: Devnet; database: FreshDatabase; dataDir: string; stop(): Promise<void> };

/**
 * Starts what the API and end-to-end suites run against: the real local chain (Hardhat + test USDC)
 * on a free port, a fresh database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set) migrated
 * with the project's migrations, and the production build under `next start` on a free port (ports
 * can be pinned with `<envPrefix>_CHAIN_PORT` / `<envPrefix>_APP_PORT`). Builds first unless
 * VEND_SKIP_BUILD=1. `chainId` starts the chain with another id (84532: x402 v1 clients pay it as
 * `base-sepolia`). On a failure while starting, what was started is stopped.
 */
export async function startStack(opts: { name: string; envPrefix: string; maxUploadBytes: number; chainId?: number }): Promise<Stack> {
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vend-${opts.name}-`));
  const chainPort = Number(process.env[`${opts.envPrefix}_CHAIN_PORT`] ?? (await freePort()));
  const appPort = Number(process.env[`${opts.envPrefix}_APP_PORT`] ?? (await freePort()));
  const chain = await startDevnet({ dataDir, port: chainPort, quiet: true, chainId: opts.chainId });
  const database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  try {
    await applyMigrations(database.url);
    const url = `http://127.0.0.1:${appPort}`;
    const app = await startApp({
      port: appPort,
      env: {
        NODE_ENV: "production",
        VEND_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        APP_URL: url,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: `${opts.name}-secret-${opts.name}-secret-${opts.name}`,
        MAX_UPLOAD_BYTES: String(opts.maxUploadBytes),
      },
    });
    return {
      app,
      chain,
      database,
      dataDir,
      async stop() {
        await app.stop();
        await chain.stop();
        await database.drop();
        if (process.env.VEND_KEEP_TEST_DATA !== "1") rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await chain.stop();
    await database.drop();
    throw error;
  }
}
