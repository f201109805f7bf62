import { startStack } from "../tests/support/stack";

/**
 * Starts the real local chain (Hardhat + test USDC), a fresh database (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set) and the production build, and hands their coordinates to the specs
 * through the environment: E2E_BASE_URL, E2E_RPC_URL, E2E_CHAIN_ID, E2E_ASSET.
 */
export default async function globalSetup() {
  const { app, chain, stop } = await startStack({ name: "e2e", envPrefix: "E2E", maxUploadBytes: 8 * 1024 * 1024 });
  process.env.E2E_BASE_URL = app.url;
  process.env.E2E_RPC_URL = chain.rpcUrl;
  process.env.E2E_CHAIN_ID = String(chain.chainId);
  process.env.E2E_ASSET = chain.asset;
  return stop;
}
