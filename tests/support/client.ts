import { createHash } from "node:crypto";
import { encodePaymentSignatureHeader, decodePaymentRequiredHeader } from "@x402/core/http";
import type { PaymentPayload, PaymentRequired } from "@x402/core/types";
import { appendPaymentIdentifierToExtensions } from "@x402/extensions/payment-identifier";
import { createPublicClient, http, parseAbiItem, type Address, type Hex } from "viem";
import type { Account } from "../../scripts/lib/agent";

import { payer } from "../../scripts/lib/agent";

export { createApiKey, hardhat, payer, signIn, usdcBalance, type Account } from "../../scripts/lib/agent";

/** SHA-256 of bytes, hex: compares a downloaded body with the uploaded file. */
export function sha256Hex(bytes: ArrayBuffer | Uint8Array): string {
  return createHash("sha256").update(new Uint8Array(bytes)).digest("hex");
}

/** A creator API client (Bearer key). */
export function creatorApi(baseUrl: string, key: string) {
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined && !(body instanceof Uint8Array) ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
  return {
    call,
    async upload(bytes: Uint8Array, name: string, contentType = "application/octet-stream") {
      const res = await call("POST", "/api/objects", bytes, {
        "content-type": contentType,
        "x-filename": encodeURIComponent(name),
      });
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; dataItemId: string; size: string };
    },
    async createLink(body: Record<string, unknown>) {
      const res = await call("POST", "/api/links", body);
      if (res.status !== 201) throw new Error(`create link failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; slug: string; url: string; amount: string };
    },
  };
}

/** Reads the v2 PaymentRequired from a 402's `PAYMENT-REQUIRED` header (official decoder). */
export function paymentRequiredOf(res: Response): PaymentRequired {
  const header = res.headers.get("payment-required");
  if (!header) throw new Error(`no PAYMENT-REQUIRED header (status ${res.status})`);
  return decodePaymentRequiredHeader(header);
}

/**
 * Signs a payment for `required` (optionally with tampered requirements) and returns the header
 * value. With `paymentIdentifier`, the x402 `payment-identifier` extension the server declared
 * carries that id (the official helper `appendPaymentIdentifierToExtensions`).
 */
export async function signPayment(
  account: Account,
  required: PaymentRequired,
  tamper?: (r: PaymentRequired["accepts"][number]) => PaymentRequired["accepts"][number],
  opts: { paymentIdentifier?: string } = {},
): Promise<{ header: string; payload: PaymentPayload }> {
  const accepts = tamper ? required.accepts.map(tamper) : required.accepts;
  const req0 = accepts[0]!;
  const client = payer(account, req0.network, req0.asset);
  const extensions = structuredClone(required.extensions ?? {});
  if (opts.paymentIdentifier) appendPaymentIdentifierToExtensions(extensions, opts.paymentIdentifier);
  const payload = await client.createPaymentPayload({ ...required, accepts, extensions });
  return { header: encodePaymentSignatureHeader(payload), payload };
}

/** The EIP-3009 authorization and signature inside an exact EVM payload. */
export function authorizationOf(payload: PaymentPayload): { authorization: Record<string, string> & { nonce: Hex; from: Address }; signature: Hex } {
  return payload.payload as { authorization: Record<string, string> & { nonce: Hex; from: Address }; signature: Hex };
}

/** Number of `AuthorizationUsed` events for (payer, nonce) on the token — i.e. on-chain transfers. */
export async function transfersFor(rpcUrl: string, asset: Address, payerAddress: Address, nonce: Hex): Promise<number> {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const logs = await client.getLogs({
    address: asset,
    event: parseAbiItem("event AuthorizationUsed(address indexed authorizer, bytes32 indexed nonce)"),
    args: { authorizer: payerAddress, nonce },
    fromBlock: 0n,
  });
  return logs.length;
}
