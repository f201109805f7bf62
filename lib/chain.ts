import "server-only";
import { createPublicClient, defineChain, parseAbiItem, type PublicClient } from "viem";
import type { NetworkConfig } from "@/lib/networks";
import { createRpc } from "@/lib/settlement/rpc";

const clients = new Map<string, PublicClient>();

/**
 * A viem public client for a configured network's RPC URL (cached per network), over the same
 * JSON-RPC transport as the facilitator's signer (lib/settlement/rpc.ts).
 */
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
      transport: createRpc(network.rpcUrl, { local: network.local }).transport,
    }) as PublicClient;
    clients.set(network.id, client);
  }
  return client;
}

/** EIP-3009's `AuthorizationUsed`: emitted once, in the transaction that consumes an authorization. */
export const authorizationUsedEvent = parseAbiItem("event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)");

/** EIP-3009's `AuthorizationCanceled`: the payer cancelled an unused authorization (`cancelAuthorization`). */
export const authorizationCanceledEvent = parseAbiItem("event AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce)");

/** ERC-20's `Transfer`. */
export const transferEvent = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
