import "server-only";
import { env } from "@/lib/env";
import { listCatalog } from "@/lib/catalog/list-catalog";
import { formatBytes } from "@/lib/format";

/**
 * `/llms.txt` (llmstxt.org): what this deployment sells and how an agent buys from it, in
 * Markdown — the x402 flow, coming back without paying again (Sign-In-With-X, payment-identifier,
 * the receipt token), signed receipts, and the catalog, with the newest listed links.
 */
export async function llmsTxt(): Promise<string> {
  const base = env().appUrl;
  const { items, nextCursor } = await listCatalog({ limit: 25 });
  const listed = items.length
    ? items.map((i) => `- [${i.title.replace(/[[\]\r\n]/g, " ")}](${i.resource}): ${i.price} USDC on ${i.network}, ${i.mimeType}, ${formatBytes(i.size)}`).join("\n")
    : "- (no listed files right now)";
  return `# Vend

> Vend sells private files over x402: each link (${base}/l/{slug}) answers an HTTP 402 with x402 payment
> requirements; pay in USDC with any x402 client and the same request returns the file.

## How to buy
1. GET the link. The answer is \`402 Payment Required\` with a \`PAYMENT-REQUIRED\` header (x402 v2, base64 JSON;
   the body is the x402 v1 form). It declares the extensions \`payment-identifier\`, \`sign-in-with-x\`,
   \`offer-receipt\` and, for listed links, \`bazaar\`.
2. Sign the \`exact\` EIP-3009 authorization it asks for (scheme \`exact\`, the USDC \`asset\`, \`amount\` in atomic
   units, \`payTo\`), e.g. with \`@x402/fetch\`'s \`wrapFetchWithPayment\` and \`@x402/evm\`'s \`ExactEvmScheme\`.
3. Send the same GET with \`PAYMENT-SIGNATURE\` (v2) or \`X-PAYMENT\` (v1). Vend settles on chain first, then
   streams the file (Range supported) with \`PAYMENT-RESPONSE\`: the settlement and a signed receipt.

## Coming back without paying again
- Sign-In-With-X: answer a later 402 with a \`SIGN-IN-WITH-X\` header signed by the wallet that paid (the
  \`sign-in-with-x\` client extension of \`@x402/extensions\` does it). Works within the link's access window.
- payment-identifier: send the same payment again with the same \`payment-identifier\` to get the same answer
  (a lost response costs nothing); another payment with that identifier is refused (409).
- The receipt token from \`X-Vend-Receipt\`, sent back as \`X-Vend-Receipt\`.
Anything public (payer address, nonce, signature, transaction) opens nothing by itself.

## Receipts
Every settlement carries an x402 offer-receipt receipt (JWS, EdDSA) whose \`kid\` is a did:web of this
deployment; its key is published at ${base}/.well-known/did.json. Verify with \`verifyReceiptSignatureJWS\`.

## Catalog
- ${base}/api/catalog: listed links, JSON, newest first (\`?cursor=&limit=\`), each with its x402 \`accepts\`.
- ${base}/api/catalog/{creatorAddress}: one creator's listed links.

## Listed now
${listed}${nextCursor ? `\n- more: ${base}/api/catalog?cursor=${nextCursor}` : ""}
`;
}
