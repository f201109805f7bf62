import "server-only";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { getAddress, isAddress, type Address } from "viem";
import { env } from "@/lib/env";

/** A CAIP-2 EVM network id, e.g. `eip155:8453`. */
export type Caip2 = `eip155:${number}`;

/** Everything Vend needs to sell on one EVM network. */
export type NetworkConfig = {
  /** CAIP-2 id (x402 v2 `network`). */
  id: Caip2;
  chainId: number;
  name: string;
  testnet: boolean;
  /** True for the embedded local chain (Hardhat + test USDC). */
  local: boolean;
  /** USDC (EIP-3009) contract: the x402 `asset`. */
  asset: Address;
  /** EIP-712 domain `name`/`version` of the token (x402 `extra`). */
  eip712: { name: string; version: string };
  decimals: number;
  /** x402 v1 network name, where v1 clients know this chain. */
  v1Name?: string;
  /** Block explorer base URL (no trailing slash); none for the local chain. */
  explorer?: string;
  /** JSON-RPC URL from the environment; a network without one is not offered. */
  rpcUrl?: string;
};

type Known = Omit<NetworkConfig, "rpcUrl" | "local"> & { envKey: string };

/** USDC deployments and their EIP-712 domains (Circle; x402 `defaultAssets.ts`). */
const KNOWN: readonly Known[] = [
  { id: "eip155:8453", chainId: 8453, name: "Base", testnet: false, envKey: "BASE", v1Name: "base",
    asset: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", eip712: { name: "USD Coin", version: "2" }, decimals: 6,
    explorer: "https://basescan.org" },
  { id: "eip155:84532", chainId: 84532, name: "Base Sepolia", testnet: true, envKey: "BASE_SEPOLIA", v1Name: "base-sepolia",
    asset: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", eip712: { name: "USDC", version: "2" }, decimals: 6,
    explorer: "https://sepolia.basescan.org" },
  { id: "eip155:1", chainId: 1, name: "Ethereum", testnet: false, envKey: "ETHEREUM", v1Name: "ethereum",
    asset: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", eip712: { name: "USD Coin", version: "2" }, decimals: 6,
    explorer: "https://etherscan.io" },
  { id: "eip155:137", chainId: 137, name: "Polygon", testnet: false, envKey: "POLYGON", v1Name: "polygon",
    asset: "0x3c499c542cEF5E3811e1192ce70d8cC03d5c3359", eip712: { name: "USD Coin", version: "2" }, decimals: 6,
    explorer: "https://polygonscan.com" },
  { id: "eip155:42161", chainId: 42161, name: "Arbitrum One", testnet: false, envKey: "ARBITRUM",
    asset: "0xaf88d065e77c8cC2239327C5EDb3A432268e5831", eip712: { name: "USD Coin", version: "2" }, decimals: 6,
    explorer: "https://arbiscan.io" },
  { id: "eip155:10", chainId: 10, name: "Optimism", testnet: false, envKey: "OPTIMISM",
    asset: "0x0b2C639c533813f4Aa9D7837CAf62653d097Ff85", eip712: { name: "USD Coin", version: "2" }, decimals: 6,
    explorer: "https://optimistic.etherscan.io" },
];

/** The record `npm run chain` writes: where the local chain and its test USDC are. */
export type LocalChainRecord = { rpcUrl: string; chainId: number; asset: Address; settlementPrivateKey?: `0x${string}` };

/** Path of the local chain record inside the data folder. */
export function localChainFile(dataDir: string): string {
  return path.join(dataDir, "chain.json");
}

/**
 * The local chains: `LOCAL_RPC_URL` + `LOCAL_CHAIN_ID` + `LOCAL_USDC_ADDRESS` when set — each a
 * comma-separated list for several chains (multi-network links are tested on two) —, else the
 * record in the data folder (written by the devnet script); empty when neither exists.
 */
export function localChains(): LocalChainRecord[] {
  const e = process.env;
  if (e.LOCAL_RPC_URL && e.LOCAL_USDC_ADDRESS) {
    const list = (v: string | undefined) => (v ?? "").split(",").map((x) => x.trim());
    const [urls, ids, assets] = [list(e.LOCAL_RPC_URL), list(e.LOCAL_CHAIN_ID), list(e.LOCAL_USDC_ADDRESS)];
    if (assets.length !== urls.length || (e.LOCAL_CHAIN_ID && ids.length !== urls.length)) {
      throw new Error("LOCAL_RPC_URL, LOCAL_CHAIN_ID and LOCAL_USDC_ADDRESS must list the same number of chains.");
    }
    return urls.map((rpcUrl, i) => ({ rpcUrl, chainId: Number(e.LOCAL_CHAIN_ID ? ids[i] : 31337), asset: getAddress(assets[i]!) }));
  }
  const file = localChainFile(env().dataDir);
  if (!existsSync(file)) return [];
  const record = JSON.parse(readFileSync(file, "utf8")) as LocalChainRecord;
  return [{ ...record, asset: getAddress(record.asset) }];
}

/** The first local chain (the one `npm run dev` starts), or undefined. */
export function localChain(): LocalChainRecord | undefined {
  return localChains()[0];
}

let registry: Map<Caip2, NetworkConfig> | undefined;

function build(): Map<Caip2, NetworkConfig> {
  const map = new Map<Caip2, NetworkConfig>();
  for (const { envKey, ...k } of KNOWN) {
    const override = process.env[`USDC_ADDRESS_${envKey}`];
    if (override !== undefined && !isAddress(override)) {
      throw new Error(`USDC_ADDRESS_${envKey} is not an address: ${override}`);
    }
    map.set(k.id, {
      ...k,
      local: false,
      asset: override ? getAddress(override) : k.asset,
      rpcUrl: process.env[`RPC_URL_${envKey}`] || undefined,
    });
  }
  for (const local of localChains()) {
    const id: Caip2 = `eip155:${local.chainId}`;
    map.set(id, {
      id,
      chainId: local.chainId,
      name: `Local chain (${local.chainId})`,
      testnet: true,
      local: true,
      asset: local.asset,
      eip712: { name: "USD Coin", version: "2" },
      decimals: 6,
      // v1 clients only know fixed names: a local chain started with Base Sepolia's id pays as one.
      v1Name: local.chainId === 84532 ? "base-sepolia" : undefined,
      rpcUrl: local.rpcUrl,
    });
  }
  return map;
}

/** Every known network (configured or not), keyed by CAIP-2 id. Built once per process. */
export function allNetworks(): Map<Caip2, NetworkConfig> {
  registry ??= build();
  return registry;
}

/** Networks a link can be created on: those with an RPC URL. */
export function configuredNetworks(): NetworkConfig[] {
  return [...allNetworks().values()].filter((n) => n.rpcUrl);
}

/** The network with this CAIP-2 id, or undefined if unknown. */
export function getNetwork(id: string): NetworkConfig | undefined {
  return allNetworks().get(id as Caip2);
}

/** The network whose x402 v1 name is `name` (e.g. `base-sepolia`). */
export function getNetworkByV1Name(name: string): NetworkConfig | undefined {
  return [...allNetworks().values()].find((n) => n.v1Name === name && n.rpcUrl);
}

/** Explorer URL of a transaction, or undefined (local chain). */
export function txUrl(network: NetworkConfig, hash: string): string | undefined {
  return network.explorer ? `${network.explorer}/tx/${hash}` : undefined;
}

/** Explorer URL of an address, or undefined (local chain). */
export function addressUrl(network: NetworkConfig, address: string): string | undefined {
  return network.explorer ? `${network.explorer}/address/${address}` : undefined;
}

/** Public, serializable view of a network for the UI and `GET /api/networks`. */
export function publicNetwork(n: NetworkConfig) {
  return {
    id: n.id,
    chainId: n.chainId,
    name: n.name,
    testnet: n.testnet,
    local: n.local,
    asset: n.asset,
    decimals: n.decimals,
    explorer: n.explorer ?? null,
  };
}
export type PublicNetwork = ReturnType<typeof publicNetwork>;
