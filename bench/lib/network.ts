import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { getAddress, type Address } from "viem";
import type { Devnet } from "../../scripts/lib/devnet";
import { hardhatAccount } from "../../scripts/lib/devnet";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { startApp, type AppServer } from "../../tests/support/app-server";
import { createApiKey, creatorApi, hardhat, signIn } from "../../tests/support/client";
import { measureConcurrency, type ConcurrencyResult } from "./concurrency";
import { prepareSendFloor } from "./floor";
import { challenge, measurePaid, measureRetry, paidGet, signAhead, type PaidResult, type RetryResult } from "./paid";
import type { Resources } from "./resources";
import type { RpcProxy } from "./rpc-proxy";

/** Hardhat account whose key sends the floor's transactions (no other sender uses it). */
export const FLOOR_KEY_ACCOUNT = 17;

/** What the run through a slow RPC measured; see {@link measureNetwork}. */
export type NetworkReport = {
  latencyMs: number;
  database: FreshDatabase["kind"];
  paid: PaidResult;
  /** The buyer's idempotent retry of a settled Vend purchase on instance 1. */
  retry: RetryResult;
  concurrency: ConcurrencyResult[];
  /** Why the two-instance figures are missing, when they are. */
  skippedTwo?: string;
};

/**
 * The real-network run: every JSON-RPC round trip of the app, the anchor and the floor now waits
 * `latencyMs` in the proxy. It starts a fresh database on the PostgreSQL server `serverUrl` (PGlite,
 * and one instance only, when there is none or it does not answer) and two `next start` instances of
 * the app in `appDir` sharing it and the app's settlement key, then measures on instance 1 the paid
 * latency of the gate against the anchor and the floor (pre-signed send + receipt, its own key),
 * the buyer's idempotent retry of a settled purchase (same `PAYMENT-SIGNATURE` + payment-identifier),
 * and concurrent distinct purchases at each of `levels` on one instance, then on two. The instances
 * are stopped at the end.
 */
export async function measureNetwork(opts: {
  appDir: string;
  healthPath: string;
  dataDir: string;
  chain: Devnet;
  proxy: RpcProxy;
  anchorUrl: string;
  serverUrl: string | undefined;
  latencyMs: number;
  purchases: number;
  levels: number[];
  price: string;
  ports: () => Promise<number>;
  resources: Resources;
  log: (line: string) => void;
}): Promise<NetworkReport> {
  const { chain, proxy, log } = opts;
  const dataDir = path.join(opts.dataDir, "network");
  await mkdir(dataDir, { recursive: true });
  let database: FreshDatabase | undefined;
  let skippedTwo: string | undefined;
  if (opts.serverUrl) {
    try {
      database = await freshDatabase(dataDir, opts.serverUrl, "vend_bench_net");
    } catch (error) {
      skippedTwo = `no PostgreSQL server answered at ${new URL(opts.serverUrl).host} (${(error as Error).message})`;
    }
  } else {
    skippedTwo = "no PostgreSQL server configured (BENCH_DATABASE_URL)";
  }
  database ??= await freshDatabase(dataDir, undefined);
  opts.resources.add("network database", () => database.drop());
  await applyMigrations(database.url, { migrationsDir: path.join(opts.appDir, "prisma/migrations") });

  proxy.setLatency(opts.latencyMs);
  const instances = skippedTwo ? 1 : 2;
  const ports = await Promise.all(Array.from({ length: instances }, () => opts.ports()));
  const secret = randomBytes(24).toString("hex");
  const envFor = (port: number): Record<string, string> => {
    const url = `http://127.0.0.1:${port}`;
    return {
      NODE_ENV: "production",
      VEND_DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      APP_URL: url,
      NEXTAUTH_URL: url,
      NEXTAUTH_SECRET: secret,
      LOCAL_RPC_URL: proxy.url,
      LOCAL_CHAIN_ID: String(chain.chainId),
      LOCAL_USDC_ADDRESS: chain.asset,
      SETTLEMENT_PRIVATE_KEY: chain.settlementPrivateKey,
      RATE_LIMIT_PURCHASES_PER_IP: "0",
      RATE_LIMIT_PURCHASES_PER_PAYER: "0",
    };
  };
  log(`  ${instances} × next start on ${database.kind} (one settlement key), RPC + ${opts.latencyMs} ms per round trip`);
  const apps: AppServer[] = await Promise.all(
    ports.map(async (port, i) => {
      const app = await startApp({ port, env: envFor(port), dir: opts.appDir, healthPath: opts.healthPath });
      opts.resources.add(`network app ${i + 1}`, () => app.stop());
      return app;
    }),
  );
  const creator = hardhat(0);
  const payTo = getAddress(creator.address);
  const api = creatorApi(apps[0]!.url, await createApiKey(apps[0]!.url, await signIn(apps[0]!.url, creator), "bench-network"));
  const object = await api.upload(new Uint8Array(randomBytes(1024)), "bench-network-1KiB.bin", "application/octet-stream");
  const link = await api.createLink({ objectId: object.id, payTo, price: opts.price, network: `eip155:${chain.chainId}`, expiresIn: "1h" });
  const linkUrls = apps.map((app) => `${app.url}/l/${link.slug}`);

  log(`  paid requests: ${opts.purchases} sequential purchases per path (Vend gate, @x402/express anchor, floor: send + receipt), interleaved`);
  const paid = await measurePaid({
    linkUrl: linkUrls[0]!,
    referenceUrl: opts.anchorUrl,
    proxy,
    floor: (count) =>
      prepareSendFloor({
        rpcUrl: proxy.url,
        proxy,
        chainId: chain.chainId,
        asset: chain.asset as Address,
        key: hardhatAccount(FLOOR_KEY_ACCOUNT).privateKey,
        payer: hardhat(3),
        payTo,
        amount: BigInt(link.amount),
        count,
      }),
    payers: { vend: hardhat(1), reference: hardhat(2) },
    purchases: opts.purchases,
    warmup: 3,
  });

  log(`  buyer's idempotent retry: ${opts.purchases} sequential`);
  const retry = await measureRetry(linkUrls[0]!, paid.retry, proxy, opts.purchases);

  // Instance 1 is warm from the paid requests; every other one buys once, untimed, so that each
  // instance starts the bursts with what it caches after a first purchase (fees, gas limit, code).
  for (const url of linkUrls.slice(1)) {
    const [payload] = await signAhead(hardhat(1), await challenge(url), 1);
    await paidGet(url, payload!, proxy);
  }
  const payers = Array.from({ length: 9 }, (_, i) => hardhat(1 + i));
  const concurrency: ConcurrencyResult[] = [];
  for (const n of instances === 2 ? [1, 2] : [1]) {
    log(`  concurrent distinct purchases on ${n} instance(s): ${opts.levels.join(", ")} at once`);
    concurrency.push(...(await measureConcurrency({ linkUrls: linkUrls.slice(0, n), payers, levels: opts.levels, proxy, log })));
  }
  for (let i = 0; i < instances; i++) await opts.resources.stopOne(`network app ${i + 1}`);
  proxy.setLatency(0);
  return { latencyMs: opts.latencyMs, database: database.kind, paid, retry, concurrency, skippedTwo };
}
