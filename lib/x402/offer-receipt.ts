import "server-only";
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import path from "node:path";
import type { PaymentRequired, PaymentRequirements } from "@x402/core/types";
import {
  createJWS,
  createJWSOfferReceiptIssuer,
  createOfferReceiptExtension,
  declareOfferReceiptExtension,
  OFFER_RECEIPT,
  type JWSSignedReceipt,
  type JWSSigner,
  type ReceiptPayload,
} from "@x402/extensions/offer-receipt";
import { z } from "zod";
import { env } from "@/lib/env";
import type { Payment } from "@/lib/generated/prisma/client";
import { readOrCreateKeyFile } from "@/lib/key-file";
import { linkUrl } from "@/lib/purchases/sale";

/**
 * The x402 `offer-receipt` extension (specs/extensions/extension-offer-and-receipt.md), JWS format:
 * the deployment signs the offers of every 402 and a receipt for every settled payment with one
 * Ed25519 key (JWS `alg: EdDSA`). Its public part is published as a DID document at
 * `/.well-known/did.json`, and every JWS names it with `kid = did:web:<APP_URL host>#<RFC 7638
 * thumbprint>`, so a buyer verifies with the official helpers alone
 * (`verifyReceiptSignatureJWS(receipt)` resolves the `did:web`).
 *
 * Key: `OFFER_RECEIPT_KEY` (an Ed25519 private JWK as JSON), else generated on first use into
 * `<VEND_DATA_DIR>/offer-receipt-key.json` (mode 0600) and reused — set the variable wherever
 * instances do not share that folder (Vercel), or each would sign with its own key.
 */

/** Name of the generated key file inside `VEND_DATA_DIR`. */
export const OFFER_RECEIPT_KEY_FILE = "offer-receipt-key.json";

/** The offer-receipt payload version this deployment signs (extension schema version 1). */
const RECEIPT_VERSION = 1;

/** How long a signed offer commits to its terms (seconds): the authorization's own limit. */
const OFFER_VALIDITY_SECONDS = 300;
/** A signed offer is reused while it has at least this much validity left (seconds). */
const OFFER_REUSE_MIN_LEFT_SECONDS = 240;

const privateJwk = z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string().min(1), d: z.string().min(1) });

type Key = { privateKey: KeyObject; publicJwk: { kty: "OKP"; crv: "Ed25519"; x: string }; kid: string; did: string };

let cached: Promise<Key> | undefined;

function parseKey(text: string, source: string): KeyObject {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON (an Ed25519 private JWK is expected)`);
  }
  const parsed = privateJwk.safeParse(json);
  if (!parsed.success) throw new Error(`${source} must be an Ed25519 private JWK: {"kty":"OKP","crv":"Ed25519","x":…,"d":…}`);
  return createPrivateKey({ key: parsed.data, format: "jwk" });
}

async function loadKey(): Promise<Key> {
  const config = env();
  let privateKey: KeyObject;
  if (config.OFFER_RECEIPT_KEY) privateKey = parseKey(config.OFFER_RECEIPT_KEY, "OFFER_RECEIPT_KEY");
  else {
    const file = path.join(config.dataDir, OFFER_RECEIPT_KEY_FILE);
    privateKey = await readOrCreateKeyFile(
      file,
      () => `${JSON.stringify(generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }), null, 2)}\n`,
      (text) => parseKey(text, file),
    );
  }
  const { x } = createPublicKey(privateKey).export({ format: "jwk" }) as { x: string };
  const publicJwk = { kty: "OKP", crv: "Ed25519", x } as const;
  // RFC 7638: SHA-256 of the required members in lexicographic order.
  const thumbprint = createHash("sha256").update(JSON.stringify({ crv: publicJwk.crv, kty: publicJwk.kty, x })).digest("base64url");
  const did = `did:web:${encodeURIComponent(new URL(config.appUrl).host)}`;
  return { privateKey, publicJwk, kid: `${did}#${thumbprint}`, did };
}

function key(): Promise<Key> {
  cached ??= loadKey().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function jwsSigner(): Promise<JWSSigner> {
  const { privateKey, kid } = await key();
  return { kid, format: "jws", algorithm: "EdDSA", sign: async (bytes) => sign(null, bytes, privateKey).toString("base64url") };
}

/**
 * The DID document served at `/.well-known/did.json` (W3C DID Core, did:web): the offer-receipt
 * key as a `JsonWebKey2020` verification method, listed under `assertionMethod`.
 */
export async function didDocument() {
  const { did, kid, publicJwk } = await key();
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
    id: did,
    verificationMethod: [{ id: kid, type: "JsonWebKey2020", controller: did, publicKeyJwk: publicJwk }],
    assertionMethod: [kid],
  };
}

const offers = new Map<string, { extension: unknown; until: number }>();
const OFFERS_MAX = 5_000;

/**
 * The `offer-receipt` extension of a 402: one signed offer per entry of `accepts`
 * (`info.offers`, JWS, valid {@link OFFER_VALIDITY_SECONDS}) and the extension's schema, made by the
 * official `createOfferReceiptExtension(createJWSOfferReceiptIssuer(…))`. A signed offer is reused
 * while it stays valid for long enough, so the 402 does not sign on every request.
 */
export async function offerExtension(resourceUrl: string, accepts: PaymentRequirements[], now = Date.now()): Promise<unknown> {
  const cacheKey = JSON.stringify([resourceUrl, accepts]);
  const hit = offers.get(cacheKey);
  if (hit && hit.until - now >= OFFER_REUSE_MIN_LEFT_SECONDS * 1000) return hit.extension;
  const signer = await jwsSigner();
  const extension = createOfferReceiptExtension(createJWSOfferReceiptIssuer(signer.kid, signer));
  const declaration = declareOfferReceiptExtension({ includeTxHash: true, offerValiditySeconds: OFFER_VALIDITY_SECONDS })[OFFER_RECEIPT];
  const paymentRequiredResponse: PaymentRequired = { x402Version: 2, resource: { url: resourceUrl }, accepts };
  const enriched = await extension.enrichPaymentRequiredResponse!(declaration, {
    requirements: accepts,
    resourceInfo: { url: resourceUrl },
    paymentRequiredResponse,
  });
  if (offers.size >= OFFERS_MAX) offers.clear();
  offers.set(cacheKey, { extension: enriched, until: now + OFFER_VALIDITY_SECONDS * 1000 });
  return enriched;
}

/** What a receipt states: a settled payment of the link at `resourceUrl`. */
export type ReceiptFacts = { resourceUrl: string; network: string; payer: string; transaction: string; settledAt: Date };

/** The {@link ReceiptFacts} of a settled payment row of the link `slug`. */
export function receiptFacts(slug: string, p: Pick<Payment, "network" | "payer" | "transaction" | "settledAt" | "updatedAt">): ReceiptFacts {
  return { resourceUrl: linkUrl(slug), network: p.network, payer: p.payer, transaction: p.transaction ?? "", settledAt: p.settledAt ?? p.updatedAt };
}

/**
 * The signed receipt of a settled payment (JWS over the extension's receipt payload: version,
 * CAIP-2 network, resourceUrl, payer, issuedAt = settlement time in unix seconds, transaction).
 * Ed25519 signatures are deterministic, so the same payment always gets the same receipt — a
 * buyer's idempotent retry receives the very same settlement response.
 */
export async function signedReceipt(facts: ReceiptFacts): Promise<JWSSignedReceipt> {
  const payload: ReceiptPayload = {
    version: RECEIPT_VERSION,
    network: facts.network,
    resourceUrl: facts.resourceUrl,
    payer: facts.payer,
    issuedAt: Math.floor(facts.settledAt.getTime() / 1000),
    transaction: facts.transaction,
  };
  return { format: "jws", signature: await createJWS(payload, await jwsSigner()) };
}

/**
 * The `extensions` of a settlement response (x402 SettleResponse) carrying a receipt:
 * `{"offer-receipt": {info: {receipt}}}`, where clients find it with `extractReceiptFromResponse`.
 */
export async function receiptExtensions(facts: ReceiptFacts): Promise<Record<string, unknown>> {
  return { [OFFER_RECEIPT]: { info: { receipt: await signedReceipt(facts) } } };
}
