import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { erc20Abi, type Abi, type Hex } from "viem";

const require = createRequire(import.meta.url);
const contractsDir = fileURLToPath(new URL("../../contracts/", import.meta.url));

/** Solidity sources compiled by {@link loadArtifacts}, as solc source units relative to `contracts/`. */
const SOURCE_FILES = ["TestUSDC.sol", "test/MockERC1271Wallet.sol"] as const;

/** solc standard-JSON settings: Cancun (what Hardhat 2.29 runs), optimizer on. */
const SETTINGS = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
} as const;

/** A compiled contract: its ABI and creation bytecode (0x-prefixed hex). */
export type CompiledContract = { abi: Abi; bytecode: Hex };

/** Every contract in `contracts/` that the devnet and tests deploy. */
export type Artifacts = {
  TestUSDC: CompiledContract;
  MockERC1271Wallet: CompiledContract;
};

/**
 * The part of TestUSDC's ABI that callers use, typed for viem: the ERC-20 interface plus `mint`, the
 * EIP-712 domain getters and the EIP-3009 functions and events (both signature forms, as Circle's
 * FiatTokenV2_2). The compiled ABI contains all of it (the unit tests check this).
 */
export const testUsdcAbi = [
  ...erc20Abi,
  {
    type: "function",
    name: "mint",
    stateMutability: "nonpayable",
    inputs: [
      { name: "to", type: "address" },
      { name: "amount", type: "uint256" },
    ],
    outputs: [],
  },
  { type: "function", name: "version", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
  {
    type: "function",
    name: "DOMAIN_SEPARATOR",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "bytes32" }],
  },
  {
    type: "function",
    name: "authorizationState",
    stateMutability: "view",
    inputs: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "transferWithAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "transferWithAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "receiveWithAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "receiveWithAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
      { name: "validAfter", type: "uint256" },
      { name: "validBefore", type: "uint256" },
      { name: "nonce", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "cancelAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "cancelAuthorization",
    stateMutability: "nonpayable",
    inputs: [
      { name: "authorizer", type: "address" },
      { name: "nonce", type: "bytes32" },
      { name: "signature", type: "bytes" },
    ],
    outputs: [],
  },
  {
    type: "event",
    name: "AuthorizationUsed",
    inputs: [
      { name: "authorizer", type: "address", indexed: true },
      { name: "nonce", type: "bytes32", indexed: true },
    ],
  },
  {
    type: "event",
    name: "AuthorizationCanceled",
    inputs: [
      { name: "authorizer", type: "address", indexed: true },
      { name: "nonce", type: "bytes32", indexed: true },
    ],
  },
] as const;

type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
};

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string };
  return pkg.version;
}

/** solc import callback: `@openzeppelin/...` (and any other package path) through Node resolution. */
function findImport(importPath: string): { contents: string } | { error: string } {
  try {
    return { contents: readFileSync(require.resolve(importPath), "utf8") };
  } catch (err) {
    return { error: `cannot resolve ${importPath}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function compile(sources: Record<string, { content: string }>): Promise<Artifacts> {
  const solc = (await import("solc")).default as { compile(input: string, callbacks: object): string };
  const input = { language: "Solidity", sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(`solc failed:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  }
  const pick = (unit: string, name: string): CompiledContract => {
    const c = output.contracts?.[unit]?.[name];
    if (!c || !c.evm.bytecode.object) throw new Error(`solc produced no bytecode for ${unit}:${name}`);
    return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  };
  return {
    TestUSDC: pick("TestUSDC.sol", "TestUSDC"),
    MockERC1271Wallet: pick("test/MockERC1271Wallet.sol", "MockERC1271Wallet"),
  };
}

/**
 * Compiles `contracts/TestUSDC.sol` and `contracts/test/MockERC1271Wallet.sol` with solc-js
 * (standard JSON, `evmVersion: "cancun"`, optimizer on; OpenZeppelin imports resolved from
 * node_modules) and returns each contract's ABI and creation bytecode.
 *
 * The result is cached in `<dataDir>/artifacts/<sha256>.json`, keyed by the sources, the compiler
 * settings and the solc and OpenZeppelin versions, so a second call with unchanged sources only reads
 * one file; a missing or corrupt cache file is recompiled. The cache file is written atomically
 * (temp file + rename), so concurrent callers are safe.
 *
 * @param dataDir - data folder (for example `.vend`); `artifacts/` is created inside it
 * @throws Error with solc's formatted messages when compilation fails
 */
export async function loadArtifacts(dataDir: string): Promise<Artifacts> {
  const sources: Record<string, { content: string }> = {};
  for (const file of SOURCE_FILES) {
    sources[file] = { content: await readFile(path.join(contractsDir, file), "utf8") };
  }
  const key = createHash("sha256")
    .update(
      JSON.stringify({
        solc: packageVersion("solc"),
        openzeppelin: packageVersion("@openzeppelin/contracts"),
        settings: SETTINGS,
        sources,
      }),
    )
    .digest("hex");
  const dir = path.join(dataDir, "artifacts");
  const file = path.join(dir, `${key}.json`);
  try {
    return JSON.parse(await readFile(file, "utf8")) as Artifacts;
  } catch (err) {
    const unreadable = (err as NodeJS.ErrnoException).code === "ENOENT" || err instanceof SyntaxError;
    if (!unreadable) throw err;
  }
  const artifacts = await compile(sources);
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, JSON.stringify(artifacts));
  await rename(tmp, file);
  return artifacts;
}
