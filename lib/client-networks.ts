import "server-only";
import { configuredNetworks, publicNetwork } from "@/lib/networks";
import type { ClientNetwork } from "@/lib/wagmi";

/** The configured networks as the browser may see them (RPC URL only for the local chain). */
export function clientNetworks(): ClientNetwork[] {
  return configuredNetworks().map((n) => ({ ...publicNetwork(n), rpcUrl: n.local ? (n.rpcUrl ?? null) : null }));
}
