import "server-only";
import { x402Facilitator } from "@x402/core/facilitator";
import { HTTPFacilitatorClient, type FacilitatorClient } from "@x402/core/http";
import { ExactEvmScheme } from "@x402/evm/exact/facilitator";
import { ExactEvmSchemeV1 } from "@x402/evm/exact/v1/facilitator";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { env } from "@/lib/env";
import { configuredNetworks, localChain } from "@/lib/networks";
import { postgresLedger } from "@/lib/settlement/ledger";
import { facilitatorEvmSigner, type VendFacilitatorSigner } from "@/lib/x402/evm-signer";
import { eip6492AllowedFactories } from "@/lib/x402/smart-wallets";

/**
 * The x402 facilitator (x402 spec §7: verify, settle, supported), one of:
 * - **remote** when `FACILITATOR_URL` is set: `@x402/core`'s HTTPFacilitatorClient (x402.org for
 *   testnets, CDP or any other for mainnet), with `FACILITATOR_API_KEY` sent as a bearer token;
 * - **local** otherwise: an in-process `x402Facilitator` with `@x402/evm`'s exact scheme (EIP-3009
 *   `transferWithAuthorization`) registered for every configured network — v2 under its CAIP-2 id
 *   and v1 under its v1 name where one exists — submitting settlements from SETTLEMENT_PRIVATE_KEY
 *   (in dev: the key recorded by the local chain script) over each network's RPC URL, through
 *   Vend's signer (lib/x402/evm-signer.ts): nonces and signed transactions in PostgreSQL, so any
 *   number of instances share one key.
 */
type Built = { client: FacilitatorClient; signers: Map<string, VendFacilitatorSigner> };
let cached: Built | undefined;

export function facilitator(): FacilitatorClient {
  cached ??= build();
  return cached.client;
}

/**
 * The in-process facilitator's signer for a network (CAIP-2 id), or undefined with a remote
 * facilitator or an unconfigured network. The settlement and reconciliation code use its RPC and
 * pipeline.
 */
export function settlementSigner(network: string): VendFacilitatorSigner | undefined {
  cached ??= build();
  return cached.signers.get(network);
}

/** True when settlements are submitted by this process's own signer (not a remote facilitator). */
export function isLocalFacilitator(): boolean {
  return !env().FACILITATOR_URL;
}

function build(): Built {
  const e = env();
  if (e.FACILITATOR_URL) {
    const apiKey = e.FACILITATOR_API_KEY;
    const client = new HTTPFacilitatorClient({
      url: e.FACILITATOR_URL,
      ...(apiKey
        ? {
            createAuthHeaders: async () => {
              const h = { Authorization: `Bearer ${apiKey}` };
              return { verify: h, settle: h, supported: h };
            },
          }
        : {}),
    });
    return { client, signers: new Map() };
  }
  const key = (e.SETTLEMENT_PRIVATE_KEY ?? localChain()?.settlementPrivateKey) as Hex | undefined;
  if (!key) {
    throw new Error(
      "No facilitator: set FACILITATOR_URL for a remote facilitator, or SETTLEMENT_PRIVATE_KEY for the in-process one.",
    );
  }
  const account = privateKeyToAccount(key);
  const local = new x402Facilitator();
  const signers = new Map<string, VendFacilitatorSigner>();
  for (const network of configuredNetworks()) {
    const signer = facilitatorEvmSigner({
      account,
      chainId: network.chainId,
      name: network.name,
      rpcUrl: network.rpcUrl!,
      local: network.local,
      ledger: postgresLedger,
      ledgerName: "postgres",
      confirmTimeoutMs: e.SETTLEMENT_TIMEOUT_SECONDS * 1000,
    });
    signers.set(network.id, signer);
    local.register(network.id, new ExactEvmScheme(signer, { eip6492AllowedFactories: eip6492AllowedFactories(network) }));
    if (network.v1Name) local.registerV1(network.v1Name as never, new ExactEvmSchemeV1(signer, { eip6492AllowedFactories: eip6492AllowedFactories(network) }));
  }
  const client = {
    verify: (payload, requirements) => local.verify(payload, requirements),
    settle: (payload, requirements) => local.settle(payload, requirements),
    getSupported: async () => local.getSupported(),
  } as FacilitatorClient;
  return { client, signers };
}
