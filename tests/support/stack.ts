import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startApp, type AppServer } from "./app-server";
import { ensureBuild } from "./build";
import { freePort } from "./ports";

/**
 * Everything a suite runs against; `stop()` tears it all down. `restartApp()` stops the app and
 * starts it again on the same port, database and environment (what a deploy or a crash does).
 */
export type Stack = {
  app: AppServer;
  chain: Devnet;
  /** Every chain: `chain` first, then one per `extraChainIds`. */
  chains: Devnet[];
  database: FreshDatabase;
  dataDir: string;
  restartApp(): Promise<AppServer>;
  stop(): Promise<void>;
};

/**
 * Starts what the API and end-to-end suites run against: the real local chain (Hardhat + test USDC)
 * on a free port (and more, on `extraChainIds`), a fresh database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set) migrated
 * with the project's migrations, and the production build under `next start` on a free port (ports
 * can be pinned with `<envPrefix>_CHAIN_PORT` / `<envPrefix>_APP_PORT`). Builds first unless
 * VEND_SKIP_BUILD=1. `chainId` starts the chain with another id (84532: x402 v1 clients pay it as
 * `base-sepolia`). On a failure while starting, what was started is stopped.
 */
export async function startStack(opts: {
  name: string;
  envPrefix: string;
  maxUploadBytes: number;
  /** Chain id of the first chain (84532: x402 v1 clients pay it as `base-sepolia`). */
  chainId?: number;
  /** More environment for the app. */
  env?: Record<string, string>;
  /**
   * Chain ids of more local chains to start (e.g. `[31338]`): the app then sells on all of them
   * (comma-separated LOCAL_RPC_URL / LOCAL_CHAIN_ID / LOCAL_USDC_ADDRESS), for multi-network links.
   */
  extraChainIds?: number[];
}): Promise<Stack> {
  ensureBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vend-${opts.name}-`));
  const chainPort = Number(process.env[`${opts.envPrefix}_CHAIN_PORT`] ?? (await freePort()));
  const appPort = Number(process.env[`${opts.envPrefix}_APP_PORT`] ?? (await freePort()));
  const chain = await startDevnet({ dataDir, port: chainPort, quiet: true, chainId: opts.chainId });
  const chains = [chain];
  const database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL);
  try {
    for (const chainId of opts.extraChainIds ?? []) {
      chains.push(await startDevnet({ dataDir: path.join(dataDir, `chain-${chainId}`), port: await freePort(), chainId, quiet: true }));
    }
    const local: Record<string, string> =
      chains.length > 1
        ? {
            LOCAL_RPC_URL: chains.map((c) => c.rpcUrl).join(","),
            LOCAL_CHAIN_ID: chains.map((c) => c.chainId).join(","),
            LOCAL_USDC_ADDRESS: chains.map((c) => c.asset).join(","),
            SETTLEMENT_PRIVATE_KEY: chain.settlementPrivateKey,
          }
        : {};
    await applyMigrations(database.url);
    const url = `http://127.0.0.1:${appPort}`;
    const env = {
      NODE_ENV: "production",
      VEND_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: `${opts.name}-secret-${opts.name}-secret-${opts.name}`,
      MAX_UPLOAD_BYTES: String(opts.maxUploadBytes),
      ...local,
      ...opts.env,
    };
    const stack: Stack = {
      app: await startApp({ port: appPort, env }),
      chain,
      chains,
      database,
      dataDir,
      async restartApp() {
        await stack.app.stop();
        stack.app = await startApp({ port: appPort, env });
        return stack.app;
      },
      async stop() {
        await stack.app.stop();
        for (const c of chains) await c.stop();
        await database.drop();
        if (process.env.VEND_KEEP_TEST_DATA !== "1") rmSync(dataDir, { recursive: true, force: true });
      },
    };
    return stack;
  } catch (error) {
    for (const c of chains) await c.stop();
    await database.drop();
    throw error;
  }
}
