import "server-only";
import { createPublicClient, defineChain, http, type PublicClient } from "viem";
import type { NetworkConfig } from "@/lib/networks";

const clients = new Map<string, PublicClient>();

/** A viem public client for a configured network's RPC URL (cached per network). */
export function publicClient(network: NetworkConfig): PublicClient {
  if (!network.rpcUrl) throw new Error(`Network ${network.id} has no RPC URL configured.`);
  let client = clients.get(network.id);
  if (!client) {
    client = createPublicClient({
      chain: defineChain({
        id: network.chainId,
        name: network.name,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [network.rpcUrl] } },
      }),
      transport: http(network.rpcUrl),
    }) as PublicClient;
    clients.set(network.id, client);
  }
  return client;
}

/** The EIP-3009 read and event used to reconcile settlements (EIP-3009 §"authorizationState"). */
export const eip3009Abi = [
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
    type: "event",
    name: "AuthorizationUsed",
    inputs: [
      { name: "authorizer", type: "address", indexed: true },
      { name: "nonce", type: "bytes32", indexed: true },
    ],
  },
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
] as const;
