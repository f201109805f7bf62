import { startStack } from "../tests/support/stack";

/**
 * Starts the real local chains (Hardhat + test USDC; a second one, 31338, for multi-network links),
 * a fresh database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set) and the production build,
 * and hands their coordinates to the specs through the environment: E2E_BASE_URL, E2E_RPC_URL,
 * E2E_CHAIN_ID, E2E_ASSET, and E2E_RPC_URL_2, E2E_CHAIN_ID_2, E2E_ASSET_2.
 */
export default async function globalSetup() {
  const { app, chain, chains, stop } = await startStack({
    name: "e2e",
    envPrefix: "E2E",
    maxUploadBytes: 8 * 1024 * 1024,
    extraChainIds: [31338],
  });
  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_RPC_URL = chain.rpcUrl;
  process.env.E2E_CHAIN_ID = String(chain.chainId);
  process.env.E2E_ASSET = chain.asset;
  process.env.E2E_RPC_URL_2 = chains[1]!.rpcUrl;
  process.env.E2E_CHAIN_ID_2 = String(chains[1]!.chainId);
  process.env.E2E_ASSET_2 = chains[1]!.asset;
  return stop;
}
