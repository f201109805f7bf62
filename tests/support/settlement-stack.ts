import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { encodePaymentSignatureHeader } from "@x402/core/http";
import { appendPaymentIdentifierToExtensions } from "@x402/extensions/payment-identifier";
import type { Hex } from "viem";
import { startDevnet, type Devnet } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startApp, type AppServer } from "./app-server";
import { ensureBuild } from "./build";
import { createApiKey, creatorApi, hardhat, payer, paymentRequiredOf, signIn, type Account } from "./client";
import { freePort } from "./ports";
import { startRpcFaultProxy, type RpcFaultProxy } from "./rpc-fault-proxy";

/**
 * What the settlement suites run against: the local chain behind our JSON-RPC fault proxy, a fresh
 * database (PGlite, or PostgreSQL with TEST_DATABASE_URL), and `instances` production builds under
 * `next start` sharing that database and one settlement key (several instances need PostgreSQL:
 * PGlite has one owner). Each instance can be killed (`kill -9`) and started again.
 */
export type SettlementStack = {
  chain: Devnet;
  proxy: RpcFaultProxy;
  database: FreshDatabase;
  apps: AppServer[];
  /** A creator API client on instance `i` (default 0). */
  api(i?: number): ReturnType<typeof creatorApi>;
  /** Starts instance `i` again (after a kill or stop), on its port. */
  restart(i: number): Promise<AppServer>;
  stop(): Promise<void>;
};

export async function startSettlementStack(opts: { name: string; instances?: number; timeoutSeconds?: number }): Promise<SettlementStack> {
  ensureBuild();
  const instances = opts.instances ?? 1;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `vend-${opts.name}-`));
  const chain = await startDevnet({ dataDir, port: await freePort(), quiet: true });
  const proxy = await startRpcFaultProxy(chain.rpcUrl);
  const database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL, `vend_${opts.name}`);
  const ports = await Promise.all(Array.from({ length: instances }, () => freePort()));
  const envFor = (i: number): Record<string, string> => {
    const url = `http://127.0.0.1:${ports[i]}`;
    return {
      NODE_ENV: "production",
      VEND_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: `${opts.name}-shared-secret-${opts.name}`,
      LOCAL_RPC_URL: proxy.url,
      LOCAL_CHAIN_ID: String(chain.chainId),
      LOCAL_USDC_ADDRESS: chain.asset,
      SETTLEMENT_PRIVATE_KEY: chain.settlementPrivateKey,
      SETTLEMENT_TIMEOUT_SECONDS: String(opts.timeoutSeconds ?? 20),
    };
  };
  const apps: AppServer[] = [];
  const apis: ReturnType<typeof creatorApi>[] = [];
  try {
    await applyMigrations(database.url);
    for (let i = 0; i < instances; i++) apps.push(await startApp({ port: ports[i]!, env: envFor(i) }));
    const creator = hardhat(0);
    const key = await createApiKey(apps[0]!.url, await signIn(apps[0]!.url, creator));
    for (const app of apps) apis.push(creatorApi(app.url, key));
  } catch (error) {
    for (const app of apps) await app.stop();
    await proxy.stop();
    await chain.stop();
    await database.drop();
    throw error;
  }
  return {
    chain,
    proxy,
    database,
    apps,
    api: (i = 0) => apis[i]!,
    async restart(i) {
      apps[i] = await startApp({ port: ports[i]!, env: envFor(i) });
      return apps[i]!;
    },
    async stop() {
      for (const app of apps) await app.stop();
      await proxy.stop();
      await chain.stop();
      await database.drop();
      if (process.env.VEND_KEEP_TEST_DATA !== "1") rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A signed `PAYMENT-SIGNATURE` for a link's 402 challenge, with its authorization's nonce; with
 * `paymentIdentifier`, the x402 payment-identifier extension the server declares carries it.
 */
export async function signFor(
  url: string,
  buyer: Account,
  asset: string,
  paymentIdentifier?: string,
): Promise<{ header: string; nonce: Hex }> {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  await res.arrayBuffer();
  const required = paymentRequiredOf(res);
  const extensions = structuredClone(required.extensions ?? {});
  if (paymentIdentifier) appendPaymentIdentifierToExtensions(extensions, paymentIdentifier);
  const payload = await payer(buyer, required.accepts[0]!.network, asset).createPaymentPayload({ ...required, extensions });
  return {
    header: encodePaymentSignatureHeader(payload),
    nonce: (payload.payload as { authorization: { nonce: Hex } }).authorization.nonce,
  };
}
