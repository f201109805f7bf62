import { startVercelStack } from "../../tests/support/vercel-stack";

/**
 * Starts the Vercel-shaped stack (tests/support/vercel-stack.ts) and hands its coordinates to the
 * specs: E2E_BASE_URL (the proxy), E2E_APP_URLS (the two instances, comma-separated),
 * E2E_RPC_URL, E2E_CHAIN_ID, E2E_ASSET, and E2E_DATABASE_URL.
 */
export default async function globalSetup() {
  const stack = await startVercelStack({ name: "vercel", maxUploadBytes: 256 * 1024 * 1024 });
  process.env.E2E_BASE_URL = stack.proxy.url;
  process.env.E2E_APP_URLS = stack.apps.map((app) => app.url).join(",");
  process.env.E2E_RPC_URL = stack.chain.rpcUrl;
  process.env.E2E_CHAIN_ID = String(stack.chain.chainId);
  process.env.E2E_ASSET = stack.chain.asset;
  process.env.E2E_DATABASE_URL = stack.database.url;
  return stack.stop;
}
