import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { formatUnits } from "viem";
import { startDevnet } from "./lib/devnet";
import { loadDotenv } from "./lib/load-env";
import { applyMigrations } from "./lib/migrations";

/**
 * `npm run dev` — the embedded default, all of it, with no account anywhere:
 * 1. the local chain (Hardhat on 127.0.0.1:8545) with the test USDC deployed and funded
 *    (skipped when LOCAL_RPC_URL points at a chain you run yourself);
 * 2. the database (embedded PGlite under VEND_DATA_DIR, or DATABASE_URL), migrated;
 * 3. Next.js in dev mode on PORT (default 3000).
 * Prints the URL and the funded test accounts. Ctrl-C stops every process it started.
 */
loadDotenv();
const dataDir = path.resolve(process.env.VEND_DATA_DIR ?? ".vend");
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 3000);
const databaseUrl = process.env.DATABASE_URL ?? `pglite:${path.join(dataDir, "db")}`;

const chain = process.env.LOCAL_RPC_URL
  ? null
  : await startDevnet({
      dataDir,
      port: Number(process.env.CHAIN_PORT ?? 8545),
      chainId: process.env.CHAIN_ID ? Number(process.env.CHAIN_ID) : undefined,
      quiet: process.env.CHAIN_LOG !== "1",
    });

const { applied } = await applyMigrations(databaseUrl);
console.log(`database  ${databaseUrl.startsWith("pglite:") ? databaseUrl : "postgresql (DATABASE_URL)"}${applied.length ? ` — applied ${applied.join(", ")}` : ""}`);

const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
const next = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "dev", "-p", String(port)], {
  stdio: "inherit",
  env: { ...process.env, VEND_DATA_DIR: dataDir, APP_URL: appUrl, NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? appUrl, NEXT_TELEMETRY_DISABLED: "1" },
});

if (chain) {
  console.log(`\nchain     ${chain.rpcUrl} (chain id ${chain.chainId}), test USDC ${chain.asset}`);
  console.log("accounts  public Hardhat test keys — never use them on a real network:");
  for (const [i, a] of chain.accounts.entries()) {
    const usdc = i === 0 ? "creator in `npm run demo`" : `${formatUnits(1_000_000_000n, 6)} test USDC`;
    console.log(`  #${i} ${a.address}  ${a.privateKey}  (${usdc})`);
  }
}
console.log(`\nVend      ${appUrl}   (npm run demo pays a link from code; Ctrl-C stops everything)\n`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  if (next.exitCode === null) next.kill("SIGTERM");
  await chain?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
next.on("exit", (code) => void stop(code ?? 0));
