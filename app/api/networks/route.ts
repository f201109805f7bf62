import { json, withPublic } from "@/lib/http";
import { configuredNetworks, publicNetwork } from "@/lib/networks";

/** `GET /api/networks` → `{networks: [{id (CAIP-2), chainId, name, testnet, local, asset, decimals, explorer}]}`: those a link can use. */
export const GET = withPublic(async () => json({ networks: configuredNetworks().map(publicNetwork) }));
