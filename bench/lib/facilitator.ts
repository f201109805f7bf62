import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements, SettleResponse, VerifyResponse } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/facilitator";
import { nonceManager, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { facilitatorEvmSigner } from "../../lib/x402/evm-signer";

/** The facilitator calls the floor measures: verify then settle, in process. */
export type LocalFacilitator = {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
};

/**
 * An in-process x402 facilitator built like lib/x402/facilitator.ts builds the app's local one
 * (which cannot be imported here: it is `server-only` and reads the app's environment), with the
 * same signer (`facilitatorEvmSigner`): `x402Facilitator` + `@x402/evm`'s exact scheme registered
 * for the local network, settling from `settlementPrivateKey` (viem's nonce manager) over `rpcUrl`.
 */
export function localFacilitator(opts: { rpcUrl: string; chainId: number; settlementPrivateKey: Hex }): LocalFacilitator {
  const account = privateKeyToAccount(opts.settlementPrivateKey, { nonceManager });
  const signer = facilitatorEvmSigner({
    account,
    chainId: opts.chainId,
    name: `Local chain (${opts.chainId})`,
    rpcUrl: opts.rpcUrl,
    local: true,
  });
  const facilitator = new x402Facilitator();
  facilitator.register(`eip155:${opts.chainId}`, new ExactEvmScheme(signer));
  return {
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    settle: (payload, requirements) => facilitator.settle(payload, requirements),
  };
}
