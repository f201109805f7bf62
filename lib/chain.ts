import "server-only";
import { createPublicClient, defineChain, http, parseAbiItem, type PublicClient } from "viem";
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
      transport: http(network.rpcUrl, network.local ? { retryCount: 0 } : {}),
      pollingInterval: network.local ? 50 : 500,
    }) as PublicClient;
    clients.set(network.id, client);
  }
  return client;
}

/** EIP-3009's `AuthorizationUsed` event: emitted once when an authorization is consumed on chain. */
export const authorizationUsedEvent = parseAbiItem("event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)");
