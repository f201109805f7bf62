/**
 * Local chain for development: `npx tsx scripts/chain.ts`.
 *
 * Starts a Hardhat node with TestUSDC (EIP-3009, 6 decimals) deployed and Hardhat accounts #1–#9
 * funded with 1,000 USDC each, writes `<VEND_DATA_DIR>/chain.json` (default `.vend`) for the app,
 * prints the connection details, and runs until SIGINT/SIGTERM. Env: `VEND_DATA_DIR`, `CHAIN_ID`
 * (default 31337), `CHAIN_PORT` (default 8545).
 */
import path from "node:path";
import { formatUnits } from "viem";
import { FUNDING_PER_ACCOUNT, SETTLEMENT_ACCOUNT_INDEX, hardhatAccount, startDevnet } from "./lib/devnet";

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.VEND_DATA_DIR ?? ".vend");
  const port = process.env.CHAIN_PORT ? Number(process.env.CHAIN_PORT) : undefined;
  const devnet = await startDevnet({ dataDir, port, quiet: true });

  const settlement = hardhatAccount(SETTLEMENT_ACCOUNT_INDEX);
  const usdc = formatUnits(FUNDING_PER_ACCOUNT, 6);
  const row = (index: number, address: string, key: string, note: string): string =>
    `  ${`#${index}`.padEnd(4)} ${address}  ${key}  ${note}`;
  const lines = [
    "",
    "Vend local chain is running",
    `  RPC URL     ${devnet.rpcUrl}`,
    `  Chain id    ${devnet.chainId} (CAIP-2 eip155:${devnet.chainId})`,
    `  Test USDC   ${devnet.asset} (EIP-3009, 6 decimals, EIP-712 "USD Coin" / "2")`,
    `  Record      ${path.join(dataDir, "chain.json")}`,
    "",
    "PUBLIC Hardhat test keys (from the well-known 'test … junk' mnemonic). Never send real funds to them.",
    "",
    ...devnet.accounts.map((a, i) =>
      row(i, a.address, a.privateKey, i === 0 ? "token owner (mints), no USDC" : `${usdc} USDC`),
    ),
    row(SETTLEMENT_ACCOUNT_INDEX, settlement.address, settlement.privateKey, "settlement submitter (ETH only)"),
    "",
    "Every account also holds 10,000 ETH. Press Ctrl+C to stop.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the chain…\n`);
    devnet.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Failed to stop the chain: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  const exit = await devnet.exited;
  // Ctrl+C in a terminal signals the whole process group, so the node may exit before our handler runs.
  const interrupted = exit.signal === "SIGINT" || exit.signal === "SIGTERM";
  if (!stopping && interrupted) {
    stopping = true;
    await devnet.stop();
    process.exit(0);
  }
  if (!stopping) {
    process.stderr.write(`The Hardhat node exited unexpectedly (code ${exit.code}, signal ${exit.signal}).\n`);
    await devnet.stop();
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
