/**
 * `npm run bench` — the gate's benchmarks (issues 6 and 10), as ratios to baselines measured in the
 * same run. Not a test: it prints numbers and never fails on one (it exits non-zero only when it
 * cannot measure).
 *
 * It starts what it needs and stops it at the end, on an error and on Ctrl-C: a Hardhat chain with
 * the test USDC (behind a counting JSON-RPC proxy that can add latency), a fresh database seeded at
 * scale, the production build (built first when `.next/BUILD_ID` is missing, predates the bench
 * routes, or `BENCH_BUILD=1`) under `next start` with `VEND_BENCH=1` (which enables the baseline
 * `/api/bench/floor`), and the anchor: the official `@x402/express` server as its own small server
 * (bench/lib/anchor.ts), settling from its own key. Then it measures, in this order: paid requests,
 * 402/receipt throughput, list APIs at scale, Lighthouse (mobile) on the pay page, the sign-in page
 * and the overview, the SQL plans behind the lists (app stopped), the pages' JavaScript weight, and
 * last the real-network run (bench/lib/network.ts): every RPC round trip slowed down, paid latency
 * against the anchor and the floor, and concurrent purchases on one and two instances.
 *
 * Environment (all optional):
 * - `BENCH_DATABASE_URL=postgresql://…` a PostgreSQL server to create the fresh databases on
 *   (default: embedded PGlite, the app's default, for the main run; the real-network run always
 *   wants a server for its two instances and tries `postgresql://postgres:postgres@127.0.0.1:5432/postgres`);
 * - `BENCH_APP_DIR` another checkout whose production build (`.next`) is measured instead of this one's;
 * - `BENCH_CONNECTIONS` (10), `BENCH_SECONDS` per round (2), `BENCH_ROUNDS` (7): throughput load;
 * - `BENCH_PURCHASES` (50) per paid path; `BENCH_BUILD=1` rebuild; `BENCH_KEEP=1` keep the temp folder;
 * - `BENCH_APP_PORT`, `BENCH_CHAIN_PORT` (default: free ports picked at start);
 * - `BENCH_LIGHTHOUSE=0` skips Lighthouse;
 * - `BENCH_NETWORK` `1` (default), `0` (skip the real-network run) or `only` (nothing else);
 *   `BENCH_RPC_LATENCY_MS` (50) added per RPC round trip there; `BENCH_NETWORK_PURCHASES` (20) per
 *   paid path there; `BENCH_CONCURRENCY` (`8,32,64`); `BENCH_RPC_LOG=file` appends one JSON line per
 *   RPC round trip of the whole run.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getAddress } from "viem";
import { hardhatAccount, startDevnet } from "../scripts/lib/devnet";
import { applyMigrations } from "../scripts/lib/migrations";
import { startApp } from "../tests/support/app-server";
import { createApiKey, creatorApi, hardhat, signIn } from "../tests/support/client";
import { freshDatabase } from "../scripts/lib/fresh-database";
import { openSql } from "./lib/database";
import { explainListQueries, type ExplainReport } from "./lib/explain";
import { runLighthouse, type LighthouseResult } from "./lib/lighthouse";
import { startAnchor } from "./lib/anchor";
import { localFacilitator, type LocalFacilitator } from "./lib/facilitator";
import { measureLatency, type LatencyResult } from "./lib/latency";
import { pageWeights, paywallReference } from "./lib/page-weight";
import { measureNetwork, type NetworkReport } from "./lib/network";
import { inProcessFloor, measurePaid } from "./lib/paid";
import { printNetworkReport, printReport } from "./lib/report";
import { Resources } from "./lib/resources";
import { startRpcProxy, type RpcProxy } from "./lib/rpc-proxy";
import { median } from "./lib/stats";
import { ISSUE_SCALE, seededLinkId, seedScale } from "./lib/seed";
import { measureThroughput } from "./lib/throughput";

const root = path.resolve(fileURLToPath(new URL("../", import.meta.url)));
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const config = {
  appPort: num("BENCH_APP_PORT", 0),
  chainPort: num("BENCH_CHAIN_PORT", 0),
  connections: num("BENCH_CONNECTIONS", 10),
  seconds: num("BENCH_SECONDS", 2),
  rounds: num("BENCH_ROUNDS", 7),
  purchases: num("BENCH_PURCHASES", 50),
  databaseServer: process.env.BENCH_DATABASE_URL || undefined,
  keep: process.env.BENCH_KEEP === "1",
  lighthouse: process.env.BENCH_LIGHTHOUSE !== "0",
  appDir: path.resolve(process.env.BENCH_APP_DIR || root),
  network: (process.env.BENCH_NETWORK ?? "1") as "0" | "1" | "only",
  latencyMs: num("BENCH_RPC_LATENCY_MS", 50),
  networkPurchases: num("BENCH_NETWORK_PURCHASES", 20),
  levels: (process.env.BENCH_CONCURRENCY ?? "8,32,64").split(",").map(Number).filter((n) => n > 0),
  rpcLog: process.env.BENCH_RPC_LOG || undefined,
};
/** The PostgreSQL server of the real-network run's two instances. */
const networkServer = [process.env.BENCH_DATABASE_URL, process.env.TEST_DATABASE_URL].find((u) => u && /^postgres(ql)?:\/\//.test(u)) ??
  "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
/** Hardhat account whose key settles the anchor's (and the in-process floor's) purchases, not the app's. */
const ANCHOR_KEY_ACCOUNT = 18;
/** Price of the bench link and of the reference route: 0.01 USDC. */
const PRICE = "0.01";
const AMOUNT = 10_000n;

const log = (line: string) => console.log(line);
const step = (line: string) => console.log(`\n▶ ${line}`);

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Why the production build must be (re)made, or null when `.next` can be used as is. */
function buildReason(): string | null {
  if (process.env.BENCH_BUILD === "1") return "BENCH_BUILD=1";
  if (!existsSync(path.join(config.appDir, ".next/BUILD_ID"))) return ".next/BUILD_ID is missing";
  const manifest = path.join(config.appDir, ".next/app-path-routes-manifest.json");
  const routes = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as Record<string, string>) : {};
  if (!routes["/api/bench/floor/route"]) return "the build has no /api/bench routes";
  return null;
}

/** Newest modification time under the app's source folders (to warn about a stale build). */
function newestSource(): number {
  let newest = 0;
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated") walk(p);
      } else if (/\.(tsx?|css)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const dir of ["app", "lib", "components"]) walk(path.join(config.appDir, dir));
  return newest;
}

async function build(resources: Resources): Promise<void> {
  const child = spawn(process.execPath, [path.join(config.appDir, "node_modules/next/dist/bin/next"), "build"], {
    cwd: config.appDir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  resources.add("next build", async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  await resources.stopOne("next build");
  if (code !== 0) throw new Error(`next build failed (exit ${code}):\n${out}`);
}

/** The main run (latency 0): paid requests, throughput, list APIs, Lighthouse, SQL plans, page weight. */
async function mainRun(ctx: {
  resources: Resources;
  dataDir: string;
  chain: Awaited<ReturnType<typeof startDevnet>>;
  proxy: RpcProxy;
  facilitator: LocalFacilitator;
  referenceUrl: string;
  address: `0x${string}`;
  network: string;
  healthPath: string;
  started: number;
}): Promise<void> {
  const { resources, dataDir, chain, proxy, facilitator, referenceUrl, address, network } = ctx;
  const creator = hardhat(0);
  config.appPort ||= await freePort();
  const database = await freshDatabase(dataDir, config.databaseServer, "vend_bench");
  resources.add("database", () => database.drop());
  await applyMigrations(database.url, { migrationsDir: path.join(config.appDir, "prisma/migrations") });

  step(`seeding ${ISSUE_SCALE.objects} objects, ${ISSUE_SCALE.links} links, ${ISSUE_SCALE.payments} payments (${database.kind})`);
  const sql = await openSql(database.url);
  const seeded = await seedScale(sql, { address, network, asset: chain.asset, amount: AMOUNT, size: ISSUE_SCALE }).finally(() => sql.close());
  log(`  seeded in ${(seeded.ms / 1000).toFixed(1)} s (${seeded.settled} settled sales)`);

  step(`next start on port ${config.appPort} (VEND_BENCH=1)`);
  const baseUrl = `http://127.0.0.1:${config.appPort}`;
  const appEnv: Record<string, string> = {
    NODE_ENV: "production",
    VEND_DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    APP_URL: baseUrl,
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: randomBytes(24).toString("hex"),
    LOCAL_RPC_URL: proxy.url,
    LOCAL_CHAIN_ID: String(chain.chainId),
    LOCAL_USDC_ADDRESS: chain.asset,
    SETTLEMENT_PRIVATE_KEY: chain.settlementPrivateKey,
    RATE_LIMIT_PURCHASES_PER_IP: "0",
    RATE_LIMIT_PURCHASES_PER_PAYER: "0",
    VEND_BENCH: "1",
    BENCH_PAY_TO: address,
    BENCH_AMOUNT: AMOUNT.toString(),
  };
  const app = await startApp({ port: config.appPort, env: appEnv, dir: config.appDir, healthPath: ctx.healthPath });
  resources.add("app", () => app.stop());

  const cookie = await signIn(baseUrl, creator);
  const apiKey = await createApiKey(baseUrl, cookie, "bench");
  const api = creatorApi(baseUrl, apiKey);
  const object = await api.upload(new Uint8Array(randomBytes(1024)), "bench-1KiB.bin", "application/octet-stream");
  const link = await api.createLink({ objectId: object.id, payTo: address, price: PRICE, network, expiresIn: "1h" });
  const floorUrl = `${baseUrl}/api/bench/floor`;

  step(`paid requests: ${config.purchases} sequential purchases per path (Vend gate, reference, floor), interleaved`);
  const paid = await measurePaid({
    linkUrl: link.url,
    referenceUrl,
    proxy,
    floor: inProcessFloor({ facilitator, account: hardhat(3), referenceUrl, proxy }),
    payers: { vend: hardhat(1), reference: hardhat(2) },
    purchases: config.purchases,
    warmup: 3,
  });
  const med = (k: "vend" | "reference" | "floor") => median(paid[k].map((s) => s.ms)).toFixed(1);
  log(`  medians: Vend ${med("vend")} ms, reference ${med("reference")} ms, floor ${med("floor")} ms`);

  step(`throughput: ${config.rounds} rounds × ${config.seconds} s per endpoint, ${config.connections} connections`);
  const load = await measureThroughput(
    [
      { name: "floor", url: floorUrl, expectStatus: 402 },
      { name: "reference", url: referenceUrl, expectStatus: 402 },
      { name: "vend402", url: link.url, expectStatus: 402 },
      { name: "receipt", url: `${link.url}?receipt=${encodeURIComponent(paid.receipt)}`, expectStatus: 200 },
      { name: "retry", url: link.url, expectStatus: 200, headers: { "PAYMENT-SIGNATURE": paid.retry } },
    ],
    { connections: config.connections, seconds: config.seconds, rounds: config.rounds, log },
  );
  step("list APIs at scale (API key, sequential requests)");
  const auth = { authorization: `Bearer ${apiKey}` };
  const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const oneLink = seededLinkId(1);
  const lists: { name: string; result: LatencyResult; goalMs?: number }[] = [];
  const nextCursor = async (urlPath: string) => {
    const page = (await (await fetch(`${baseUrl}${urlPath}`, { headers: auth })).json()) as { nextCursor?: string | null };
    if (!page.nextCursor) throw new Error(`${urlPath}: no second page`);
    return encodeURIComponent(page.nextCursor);
  };
  const list = async (name: string, urlPath: string, samples: number, goalMs?: number) => {
    const result = await measureLatency(`${baseUrl}${urlPath}`, { headers: auth, samples, warmup: samples > 1 ? 3 : 0 });
    lists.push({ name, result, goalMs });
    log(`  ${name}: median ${result.median.toFixed(1)} ms, p90 ${result.p90.toFixed(1)} ms (${result.bytes} bytes)`);
  };
  const salesPath = `/api/sales?from=${encodeURIComponent(from)}`;
  await list("GET /api/objects", "/api/objects", 30, 30);
  await list("GET /api/objects (page 2)", `/api/objects?cursor=${await nextCursor("/api/objects")}`, 30, 30);
  await list("GET /api/links", "/api/links", 30, 30);
  await list("GET /api/sales?from=30d", salesPath, 30, 30);
  await list("GET /api/sales?from=30d (page 2)", `${salesPath}&cursor=${await nextCursor(salesPath)}`, 10, 30);
  await list("GET /api/sales?linkId", `/api/sales?linkId=${oneLink}`, 30, 30);
  // One export only: it streams every matching sale (~16,000 rows), which takes seconds.
  await list("GET /api/sales/export?from=30d (CSV)", `/api/sales/export?from=${encodeURIComponent(from)}`, 1);

  let lighthouseResults: LighthouseResult[] | undefined;
  if (config.lighthouse) {
    step("Lighthouse 12, mobile profile: pay page, sign-in, overview (signed in: the session cookie in the browser)");
    lighthouseResults = await runLighthouse(
      [
        { name: "/pay/[slug]", url: `${baseUrl}/pay/${link.slug}` },
        { name: "/sign-in", url: `${baseUrl}/sign-in` },
        { name: "/dashboard (overview)", url: `${baseUrl}/dashboard`, cookie },
      ],
      { port: await freePort(), resources, log },
    );
  }

  step("SQL plans of the list use cases (app stopped: the database has one owner)");
  await resources.stopOne("app");
  let explain: ExplainReport | undefined;
  if (config.appDir !== root) {
    log("  skipped: the use cases explained are this checkout's, not BENCH_APP_DIR's");
  } else {
    try {
      explain = await explainListQueries({
        env: appEnv,
        databaseUrl: database.url,
        ownerId: seeded.userId,
        from,
        linkId: oneLink,
        slug: link.slug,
        runs: 5,
      });
    } catch (error) {
      log(`  could not explain: ${(error as Error).message.split("\n")[0]}`);
    }
  }

  printReport({
    config: {
      ...config,
      database: database.kind,
      price: PRICE,
      scale: `${ISSUE_SCALE.objects.toLocaleString("en-US")} objects, ${ISSUE_SCALE.links.toLocaleString("en-US")} links, ${ISSUE_SCALE.payments.toLocaleString("en-US")} payments (${seeded.settled.toLocaleString("en-US")} settled)`,
    },
    paid,
    load,
    lists,
    explain,
    lighthouse: lighthouseResults,
    pages: pageWeights(path.join(config.appDir, ".next"), (r) => r.startsWith("/pay/") || r.startsWith("/dashboard") || r === "/sign-in"),
    paywall: paywallReference(root),
    seconds: (performance.now() - ctx.started) / 1000,
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const resources = new Resources();
  resources.stopOnSignals();
  // The bench always measures the in-process facilitator: never a remote one from the shell.
  delete process.env.FACILITATOR_URL;
  delete process.env.FACILITATOR_API_KEY;
  try {
    const reason = buildReason();
    if (config.appDir !== root) log(`  measuring the build in ${config.appDir} (BENCH_APP_DIR)`);
    if (reason) {
      step(`next build in ${config.appDir} (${reason}) …`);
      await build(resources);
    } else if (newestSource() > statSync(path.join(config.appDir, ".next/BUILD_ID")).mtimeMs) {
      log("  note: sources changed since the last build; run with BENCH_BUILD=1 to measure them.");
    }

    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vend-bench-"));
    resources.add("data folder", async () => {
      if (config.keep) log(`  kept ${dataDir}`);
      else await rm(dataDir, { recursive: true, force: true });
    });

    config.chainPort ||= await freePort();
    step(`local chain on port ${config.chainPort}, JSON-RPC proxy, anchor`);
    const chain = await startDevnet({ dataDir, port: config.chainPort, quiet: true });
    resources.add("chain", () => chain.stop());
    const proxy = await startRpcProxy(chain.rpcUrl, { logFile: config.rpcLog });
    resources.add("rpc proxy", () => proxy.stop());
    const network = `eip155:${chain.chainId}` as const;
    const address = getAddress(hardhat(0).address);
    const facilitator = localFacilitator({
      rpcUrl: proxy.url,
      chainId: chain.chainId,
      settlementPrivateKey: hardhatAccount(ANCHOR_KEY_ACCOUNT).privateKey,
    });
    const anchor = await startAnchor({ facilitator, network, asset: chain.asset, payTo: address, amount: AMOUNT, maxTimeoutSeconds: 300 });
    resources.add("anchor", () => anchor.stop());
    const referenceUrl = anchor.url;
    /** `/api/health/live` where the measured build has it (older builds: `/api/health`). */
    const healthPath = existsSync(path.join(config.appDir, "app/api/health/live")) ? "/api/health/live" : "/api/health";

    if (config.network !== "only") {
      await mainRun({ resources, dataDir, chain, proxy, facilitator, referenceUrl, address, network, healthPath, started });
    }
    if (config.network !== "0") {
      step(`real-network run: JSON-RPC + ${config.latencyMs} ms per round trip`);
      const report: NetworkReport = await measureNetwork({
        appDir: config.appDir,
        healthPath,
        dataDir,
        chain,
        proxy,
        anchorUrl: referenceUrl,
        serverUrl: networkServer,
        latencyMs: config.latencyMs,
        purchases: config.networkPurchases,
        levels: config.levels,
        price: PRICE,
        ports: freePort,
        resources,
        log,
      });
      printNetworkReport(report, { appDir: config.appDir, seconds: (performance.now() - started) / 1000 });
    }
  } finally {
    await resources.stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
