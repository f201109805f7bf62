import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements, SettleResponse, VerifyResponse } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/facilitator";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { authorizationContextKey, contextFor, withContext } from "../../lib/settlement/context";
import { memoryLedger } from "../../lib/settlement/memory-ledger";
import { facilitatorEvmSigner } from "../../lib/x402/evm-signer";

/** The facilitator calls the floor measures: verify then settle, in process. */
export type LocalFacilitator = {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
};

/**
 * An in-process x402 facilitator built like lib/x402/facilitator.ts builds the app's local one
 * (which cannot be imported here: it is `server-only` and reads the app's environment), with the
 * same signer (`facilitatorEvmSigner`) and the same per-purchase context between verify and settle
 * (lib/settlement/settle.ts does the same): `x402Facilitator` + `@x402/evm`'s exact scheme
 * registered for the local network, settling from `settlementPrivateKey` over `rpcUrl`. Its nonces
 * and signed transactions are kept in memory (the app keeps them in PostgreSQL): give it a key no
 * other process uses.
 */
export function localFacilitator(opts: { rpcUrl: string; chainId: number; settlementPrivateKey: Hex }): LocalFacilitator {
  const signer = facilitatorEvmSigner({
    account: privateKeyToAccount(opts.settlementPrivateKey),
    chainId: opts.chainId,
    name: `Local chain (${opts.chainId})`,
    rpcUrl: opts.rpcUrl,
    local: true,
    ledger: memoryLedger(),
    ledgerName: `memory:${Math.random()}`,
    confirmTimeoutMs: 30_000,
  });
  const facilitator = new x402Facilitator();
  facilitator.register(`eip155:${opts.chainId}`, new ExactEvmScheme(signer));
  return {
    verify: (payload, requirements) =>
      withContext(contextFor(authorizationContextKey(payload, requirements), { keep: true }), () => facilitator.verify(payload, requirements)),
    settle: (payload, requirements) =>
      withContext(contextFor(authorizationContextKey(payload, requirements), { keep: false }), () => facilitator.settle(payload, requirements)),
  };
}
