import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  publicActions,
  toHex,
  type Address,
  type Chain,
  type Hex,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { loadArtifacts } from "./contracts";
import { installSafe } from "./smart-accounts";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The public mnemonic Hardhat derives its default accounts from. Never use it for real funds. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat account that submits settlements (it holds ETH for gas and no USDC). */
export const SETTLEMENT_ACCOUNT_INDEX = 19;

/** Test USDC minted to each of Hardhat accounts #1–#9: 1,000 USDC in atomic units (6 decimals). */
export const FUNDING_PER_ACCOUNT = 1_000_000_000n;

/** Canonical Multicall3 address, the same on every public EVM chain (used by @x402/evm diagnostics). */
export const MULTICALL3_ADDRESS: Address = "0xcA11bde05977b3631167028862bE2a173976CA11";

/** A Hardhat test account: its address and its (public, well-known) private key. */
export type DevAccount = { address: Address; privateKey: Hex };

/** Options of {@link startDevnet}. */
export type StartDevnetOptions = {
  /** Data folder: `chain.json` and the compiled-artifact cache go here. Created if missing. */
  dataDir: string;
  /** TCP port of the JSON-RPC server. Default 8545. */
  port?: number;
  /** EVM chain id. Default: env `CHAIN_ID`, else 31337. */
  chainId?: number;
  /** Interface to listen on. Default "127.0.0.1". */
  host?: string;
  /** When true, the node's output is not forwarded to this process's stdout/stderr. Default false. */
  quiet?: boolean;
};

/** A running local chain with a deployed, funded TestUSDC; see {@link startDevnet}. */
export type Devnet = {
  /** JSON-RPC URL, e.g. `http://127.0.0.1:8545`. */
  rpcUrl: string;
  chainId: number;
  /** TestUSDC (EIP-3009, 6 decimals) contract address. */
  asset: Address;
  /** Private key of Hardhat account #19, the settlement submitter (ETH only, no USDC). */
  settlementPrivateKey: Hex;
  /** Hardhat accounts #0–#9; #1–#9 each hold {@link FUNDING_PER_ACCOUNT} TestUSDC, #0 is the owner. */
  accounts: DevAccount[];
  /** Resolves when the node process exits, whether through `stop()` or a crash. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the node and waits until its process has exited; removes `chain.json` if it is still ours. */
  stop(): Promise<void>;
};

/** The record written to `<dataDir>/chain.json` (read by lib/networks.ts). */
export type ChainRecord = { rpcUrl: string; chainId: number; asset: Address; settlementPrivateKey: Hex };

const accountCache = new Map<number, DevAccount>();

/**
 * Hardhat's default account number `index` (BIP-44 path m/44'/60'/0'/0/index of
 * {@link HARDHAT_MNEMONIC}): #0 is 0xf39F…2266. The node funds #0–#19 with 10,000 ETH each.
 *
 * @param index - non-negative integer account index
 * @returns the account's checksummed address and private key (public test key)
 * @throws RangeError when `index` is not a non-negative integer
 */
export function hardhatAccount(index: number): DevAccount {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`Invalid Hardhat account index: ${index}`);
  const cached = accountCache.get(index);
  if (cached) return cached;
  const hd = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
  const key = hd.getHdKey().privateKey;
  if (!key) throw new Error(`No private key derived for Hardhat account ${index}`);
  const account: DevAccount = { address: hd.address, privateKey: toHex(key) };
  accountCache.set(index, account);
  return account;
}

/**
 * A viem chain definition for a local devnet, with Multicall3 at its canonical address.
 *
 * @param chainId - EVM chain id
 * @param rpcUrl - JSON-RPC URL of the node
 */
export function devnetChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `Vend devnet (${chainId})`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
    contracts: { multicall3: { address: MULTICALL3_ADDRESS } },
    testnet: true,
  });
}

/**
 * Deploys TestUSDC (contracts/TestUSDC.sol: EIP-3009 "USD Coin" / "USDC", 6 decimals, EIP-712
 * version "2") from `deployer`, who becomes its owner, then mints `amount` atomic units to each of
 * `mintTo`. Waits for every receipt.
 *
 * @param opts.rpcUrl - JSON-RPC URL
 * @param opts.chainId - chain id of that node
 * @param opts.dataDir - data folder holding the compiled-artifact cache
 * @param opts.deployer - private key of the deploying (and owning) account; it needs ETH for gas
 * @param opts.mintTo - recipients of the initial mint (default none)
 * @param opts.amount - atomic units (6 decimals) minted to each recipient (default {@link FUNDING_PER_ACCOUNT})
 * @returns the token's checksummed address
 * @throws Error when the deployment or a mint transaction fails
 */
export async function deployTestUsdc(opts: {
  rpcUrl: string;
  chainId: number;
  dataDir: string;
  deployer: Hex;
  mintTo?: readonly Address[];
  amount?: bigint;
}): Promise<Address> {
  const { TestUSDC } = await loadArtifacts(opts.dataDir);
  const client = createWalletClient({
    account: privateKeyToAccount(opts.deployer),
    chain: devnetChain(opts.chainId, opts.rpcUrl),
    transport: http(opts.rpcUrl),
    pollingInterval: 50,
  }).extend(publicActions);
  const deployHash = await client.deployContract({ abi: TestUSDC.abi, bytecode: TestUSDC.bytecode });
  const deployed = await client.waitForTransactionReceipt({ hash: deployHash });
  if (deployed.status !== "success" || !deployed.contractAddress) {
    throw new Error(`TestUSDC deployment failed (transaction ${deployHash})`);
  }
  const asset = getAddress(deployed.contractAddress);
  const amount = opts.amount ?? FUNDING_PER_ACCOUNT;
  for (const to of opts.mintTo ?? []) {
    const hash = await client.writeContract({ address: asset, abi: TestUSDC.abi, functionName: "mint", args: [to, amount] });
    const receipt = await client.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`TestUSDC mint to ${to} failed (transaction ${hash})`);
  }
  return asset;
}

/** Fails with a clear message when something already listens on host:port. */
async function assertPortFree(host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") {
        reject(
          new Error(
            `Cannot start the devnet: port ${port} on ${host} is already in use ` +
              `(another devnet or \`scripts/chain.ts\` still running?). Stop it or choose another port.`,
          ),
        );
      } else {
        reject(new Error(`Cannot start the devnet: cannot listen on ${host}:${port} (${err.message}).`));
      }
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Keeps the last `limit` characters of a stream, for error messages. */
function tail(limit: number): { push(chunk: Buffer): void; text(): string } {
  let buf = "";
  return {
    push(chunk) {
      buf = (buf + chunk.toString("utf8")).slice(-limit);
    },
    text: () => buf.trim(),
  };
}

async function rpcChainId(rpcUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { result?: string };
    return typeof body.result === "string" ? Number(BigInt(body.result)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Installs Multicall3 at its canonical address, as found on every public chain: @x402/evm calls it
 * (`tryAggregate`) to diagnose failed EIP-3009 simulations (nonce used, balance, domain mismatch).
 * The creation code is viem's (viem ships it for deployless multicalls; it is not a public export).
 */
async function installMulticall3(rpcUrl: string, chainId: number): Promise<void> {
  const viemEntry = createRequire(import.meta.url).resolve("viem");
  const { multicall3Bytecode } = createRequire(viemEntry)("./constants/contracts.js") as { multicall3Bytecode: Hex };
  const chain = devnetChain(chainId, rpcUrl);
  const { data: runtime } = await createPublicClient({ chain, transport: http(rpcUrl) }).call({ data: multicall3Bytecode });
  if (!runtime || runtime === "0x") throw new Error("Multicall3 creation code returned no runtime code");
  await createTestClient({ mode: "hardhat", chain, transport: http(rpcUrl) }).setCode({
    address: MULTICALL3_ADDRESS,
    bytecode: runtime,
  });
}

/**
 * Starts a local Hardhat 2 node (`node node_modules/hardhat/internal/cli/cli.js node --hostname
 * <host> --port <port> --config hardhat.config.cjs`, chain id passed as env `CHAIN_ID`, telemetry
 * prompt disabled), waits until it answers `eth_chainId`, installs Multicall3 at its canonical
 * address, deploys TestUSDC (EIP-3009, see contracts/TestUSDC.sol) from Hardhat account #0, mints
 * 1,000 USDC (1_000_000_000 atomic units) to each of accounts #1–#9, installs Safe 1.4.1 at its
 * canonical addresses for smart-account buyers (scripts/lib/smart-accounts.ts), and writes
 * `<dataDir>/chain.json` = `{ rpcUrl, chainId, asset, settlementPrivateKey }` (account #19's key).
 *
 * A fresh node is deterministic: the token is always at 0x5FbDB2315678afecb367f032d93F642f64180aa3.
 * The node is killed when this process exits, even without `stop()`.
 *
 * @throws Error when the port is already in use, when the node exits or does not answer within 30 s
 *   (the message includes the node's stderr), when it reports another chain id, or when deployment fails
 */
export async function startDevnet(opts: StartDevnetOptions): Promise<Devnet> {
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port ?? 8545;
  const chainId = opts.chainId ?? Number(process.env.CHAIN_ID ?? 31337);
  if (!Number.isInteger(chainId) || chainId <= 0) throw new Error(`Invalid chain id: ${chainId}`);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) throw new Error(`Invalid port: ${port}`);
  const rpcUrl = `http://${host}:${port}`;

  await assertPortFree(host, port);

  const stdout = tail(8_192);
  const stderr = tail(8_192);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(projectRoot, "node_modules/hardhat/internal/cli/cli.js"),
      "node",
      "--hostname",
      host,
      "--port",
      String(port),
      "--config",
      path.join(projectRoot, "hardhat.config.cjs"),
    ],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        HARDHAT_DISABLE_TELEMETRY_PROMPT: "true",
        CHAIN_ID: String(chainId),
        HARDHAT_NETWORK: "hardhat",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout.push(chunk);
    if (!opts.quiet) process.stdout.write(chunk);
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr.push(chunk);
    if (!opts.quiet) process.stderr.write(chunk);
  });

  let spawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
    child.once("error", (err) => {
      spawnError = err;
      if (child.pid === undefined) resolve({ code: null, signal: null });
    });
  });
  const killOnExit = (): void => {
    child.kill("SIGKILL");
  };
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const chainFile = path.join(opts.dataDir, "chain.json");
  let written: string | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (written !== undefined) {
        const current = await readFile(chainFile, "utf8").catch(() => undefined);
        if (current === written) await rm(chainFile, { force: true });
      }
    })();
    return stopping;
  };

  try {
    const deadline = Date.now() + 30_000;
    let answered: number | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void exited.then((e) => {
      exit = e;
    });
    while (answered === undefined) {
      if (spawnError) throw new Error(`Could not start the Hardhat node: ${spawnError.message}`);
      if (exit) {
        throw new Error(
          `The Hardhat node exited (code ${exit.code}, signal ${exit.signal}) before answering on ${rpcUrl}.\n` +
            `stderr:\n${stderr.text() || "(empty)"}\nstdout:\n${stdout.text() || "(empty)"}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(`The Hardhat node did not answer on ${rpcUrl} within 30 s.\nstderr:\n${stderr.text() || "(empty)"}`);
      }
      answered = await rpcChainId(rpcUrl);
      if (answered === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    if (exit || child.exitCode !== null) {
      throw new Error(`The Hardhat node exited right after starting.\nstderr:\n${stderr.text() || "(empty)"}`);
    }
    if (answered !== chainId) {
      throw new Error(`The node on ${rpcUrl} reports chain id ${answered}, expected ${chainId}.`);
    }

    await installMulticall3(rpcUrl, chainId);

    const accounts = Array.from({ length: 10 }, (_, i) => hardhatAccount(i));
    const asset = await deployTestUsdc({
      rpcUrl,
      chainId,
      dataDir: opts.dataDir,
      deployer: hardhatAccount(0).privateKey,
      mintTo: accounts.slice(1).map((a) => a.address),
    });
    await installSafe({ rpcUrl, chainId, deployer: hardhatAccount(0).privateKey });
    const settlementPrivateKey = hardhatAccount(SETTLEMENT_ACCOUNT_INDEX).privateKey;

    const record: ChainRecord = { rpcUrl, chainId, asset, settlementPrivateKey };
    await mkdir(opts.dataDir, { recursive: true });
    written = `${JSON.stringify(record, null, 2)}\n`;
    await writeFile(chainFile, written);

    return { rpcUrl, chainId, asset, settlementPrivateKey, accounts, exited, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
