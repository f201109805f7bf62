import type { TestProject } from "vitest/node";
import { startStack } from "./stack";

/** The chain id of the second local chain (multi-network links are sold on both). */
const SECOND_CHAIN_ID = 31338;

/** Small on purpose: the suite checks that a larger upload is refused with 413. */
export const TEST_MAX_UPLOAD_BYTES = 4 * 1024 * 1024;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    rpcUrl: string;
    chainId: number;
    asset: `0x${string}`;
    /** A second local chain the app also sells on (multi-network links). */
    rpcUrl2: string;
    chainId2: number;
    asset2: `0x${string}`;
    databaseKind: "postgres" | "pglite";
    maxUploadBytes: number;
  }
}

/**
 * Global setup of the `api` project: the real local chains (Hardhat + test USDC; a second one for
 * multi-network links), a fresh database
 * (PGlite, or PostgreSQL when TEST_DATABASE_URL is set) migrated with the project's migrations,
 * and the production build of the app under `next start`. Everything is torn down afterwards.
 */
export default async function setup(project: TestProject) {
  const { app, chain, chains, database, stop } = await startStack({
    name: "api",
    envPrefix: "TEST",
    maxUploadBytes: TEST_MAX_UPLOAD_BYTES,
    extraChainIds: [SECOND_CHAIN_ID],
  });
  project.provide("baseUrl", app.url);
  project.provide("rpcUrl", chain.rpcUrl);
  project.provide("chainId", chain.chainId);
  project.provide("asset", chain.asset);
  project.provide("rpcUrl2", chains[1]!.rpcUrl);
  project.provide("chainId2", chains[1]!.chainId);
  project.provide("asset2", chains[1]!.asset);
  project.provide("databaseKind", database.kind);
  project.provide("maxUploadBytes", TEST_MAX_UPLOAD_BYTES);
  return stop;
}
