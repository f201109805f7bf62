import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements, SettleResponse, VerifyResponse } from "@x402/core/types";
import { toFacilitatorEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/facilitator";
import { createWalletClient, defineChain, http, nonceManager, publicActions, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** The facilitator calls the floor measures: verify then settle, in process. */
export type LocalFacilitator = {
  verify(payload: PaymentPayload, requirements: PaymentRequirements): Promise<VerifyResponse>;
  settle(payload: PaymentPayload, requirements: PaymentRequirements): Promise<SettleResponse>;
};

/**
 * An in-process x402 facilitator built exactly as lib/x402/facilitator.ts builds the app's local
 * one (which cannot be imported here: it is `server-only` and reads the app's environment):
 * `x402Facilitator` + `@x402/evm`'s exact scheme registered for the local network, its signer from
 * `toFacilitatorEvmSigner` over a viem wallet client (with the nonce manager) extended with
 * `publicActions`, talking to `rpcUrl`.
 */
export function localFacilitator(opts: { rpcUrl: string; chainId: number; settlementPrivateKey: Hex }): LocalFacilitator {
  const account = privateKeyToAccount(opts.settlementPrivateKey, { nonceManager });
  const chain = defineChain({
    id: opts.chainId,
    name: `Local chain (${opts.chainId})`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [opts.rpcUrl] } },
  });
  const client = createWalletClient({ account, chain, transport: http(opts.rpcUrl) }).extend(publicActions);
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    getCode: (args) => client.getCode(args),
    readContract: (args) => client.readContract(args as never),
    verifyTypedData: (args) => client.verifyTypedData(args as never),
    writeContract: (args) => client.writeContract(args as never),
    sendTransaction: (args) => client.sendTransaction(args),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
  });
  const facilitator = new x402Facilitator();
  facilitator.register(`eip155:${opts.chainId}`, new ExactEvmScheme(signer));
  return {
    verify: (payload, requirements) => facilitator.verify(payload, requirements),
    settle: (payload, requirements) => facilitator.settle(payload, requirements),
  };
}
