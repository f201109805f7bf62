import { x402Client } from "@x402/core/client";
import { encodePaymentSignatureHeader } from "@x402/core/http";
import type { Network, PaymentRequired } from "@x402/core/types";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { appendPaymentIdentifierToExtensions } from "@x402/extensions/payment-identifier";
import type { Address, Hex } from "viem";

/** What the x402 EVM client needs from a wallet: its address and EIP-712 signing. */
export type BrowserSigner = {
  address: Address;
  signTypedData(args: {
    domain: Record<string, unknown>;
    types: Record<string, unknown>;
    primaryType: string;
    message: Record<string, unknown>;
  }): Promise<Hex>;
};

/**
 * Builds the buyer's payment with the official x402 client: the `exact` EVM scheme signs an
 * EIP-3009 `TransferWithAuthorization` (from, to, value, validity window, random nonce) through
 * the wallet, and the payload is encoded as a `PAYMENT-SIGNATURE` header value.
 *
 * Spend controls allow exactly the link's token on the link's network, capped at the price the
 * page shows (`maxAmount`), so the client refuses to sign anything larger than what the buyer saw.
 * The payload carries a fresh x402 `payment-identifier` (the server declares it): it never goes on
 * chain, so posting this same payload again — after a lost response or a reload — is recognised as
 * this buyer's own and answered with the file, while a copy rebuilt from the chain is not.
 * Loaded on demand (dynamic import) so the wallet panel's first paint does not wait for it.
 */
export async function createPaymentHeader(required: PaymentRequired, maxAmount: string, signer: BrowserSigner): Promise<string> {
  const client = new x402Client();
  for (const network of new Set(required.accepts.map((a) => a.network))) {
    client.register(network as Network, new ExactEvmScheme(signer));
  }
  client.setSpendControls({
    allowedAssets: required.accepts.map((a) => ({ network: a.network as Network, asset: a.asset, maxAmountPerPayment: maxAmount })),
  });
  const extensions = structuredClone(required.extensions ?? {});
  appendPaymentIdentifierToExtensions(extensions);
  const payload = await client.createPaymentPayload({ ...required, extensions });
  return encodePaymentSignatureHeader(payload);
}
