import { json, withPublic } from "@/lib/http";
import { didDocument } from "@/lib/x402/offer-receipt";

/**
 * `GET /.well-known/did.json` (rewritten here) → this deployment's DID document (did:web): the
 * public Ed25519 key that signs x402 offer-receipt offers and receipts, as a `JsonWebKey2020`
 * verification method whose id is the `kid` of every JWS. Buyers resolve it with
 * `@x402/extensions/offer-receipt`'s `verifyReceiptSignatureJWS(receipt)`.
 */
export const GET = withPublic(async () =>
  json(await didDocument(), { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300" } }),
);
