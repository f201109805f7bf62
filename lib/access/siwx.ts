import "server-only";
import type { PaymentRequirements } from "@x402/core/types";
import {
  declareSIWxExtension,
  parseSIWxHeader,
  SIGN_IN_WITH_X,
  validateSIWxMessage,
  verifySIWxSignature,
  type EVMMessageVerifier,
  type SIWxExtension,
  type SIWxPayload,
} from "@x402/extensions/sign-in-with-x";
import { getAddress, verifyMessage } from "viem";
import { publicClient } from "@/lib/chain";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Payment } from "@/lib/generated/prisma/client";
import { getNetwork } from "@/lib/networks";
import { accessOf, type Access } from "@/lib/purchases/access";
import { consume, siwxLimits } from "@/lib/rate-limit";
import type { LinkForSale } from "@/lib/purchases/sale";

/**
 * Sign-In-With-X re-access (x402 `sign-in-with-x` extension, CAIP-122 / EIP-4361): a wallet that
 * bought a link proves, with a fresh signature over a message bound to this deployment and this
 * link, that it is that buyer, and gets the file again with no new payment. Only a signature the
 * wallet makes now counts — never anything read from the chain.
 *
 * - The 402 of every link declares a fresh challenge ({@link siwxChallenge}): domain = this
 *   deployment's host, uri = the link's URL, a random nonce, issuedAt now, expiring in
 *   {@link SIWX_MAX_AGE_SECONDS}; one supported chain per network the link is paid on.
 * - A proof ({@link siwxAccess}) is checked with `@x402/extensions`' own parser, validator and
 *   verifier: domain and URI origin against `APP_URL`, the URI's path against the link, age,
 *   expiry, and the signature on the link's network — EIP-191 for accounts, ERC-1271 for deployed
 *   smart accounts and ERC-6492 for undeployed ones through viem's `verifyMessage` on that
 *   network's RPC. Its nonce is then spent in PostgreSQL (`SiwxNonce`), once across every instance.
 * - Access is keyed by (link, payer) on the payment rows themselves, and decided by
 *   `accessOf()` exactly as for a receipt: settled, not refunded, within the access window, bytes
 *   still kept (a payment still settling is decided from the chain first).
 */

/** How long a SIWX message is accepted after its `issuedAt` (and when its challenge expires). */
export const SIWX_MAX_AGE_SECONDS = 300;

/** The request header carrying the proof (x402 `sign-in-with-x`). */
export const SIWX_HEADER = "sign-in-with-x";

/** A CAIP-122 nonce we store: EIP-4361's alphanumeric nonce, at least 8 and at most 128 characters. */
const NONCE = /^[A-Za-z0-9]{8,128}$/;

/** The statement buyers are asked to sign. */
const STATEMENT = "Sign in to download a file you bought on Vend again. This costs nothing.";

/**
 * A fresh `sign-in-with-x` extension for a 402 (PaymentRequired.extensions["sign-in-with-x"]):
 * `info` (domain, uri, statement, version "1", nonce, issuedAt, expirationTime, resources),
 * `supportedChains` (one `eip191` entry per network in `requirements`, so the challenge follows the
 * link's networks) and the official JSON schema. Built with `declareSIWxExtension`.
 */
export function siwxChallenge(resourceUrl: string, requirements: Pick<PaymentRequirements, "network">[], now = new Date()): SIWxExtension {
  const networks = [...new Set(requirements.map((r) => r.network))];
  const { _options: _unused, ...declared } = declareSIWxExtension({
    statement: STATEMENT,
    network: networks,
    expirationSeconds: SIWX_MAX_AGE_SECONDS,
  })[SIGN_IN_WITH_X]!;
  return {
    ...declared,
    info: {
      ...declared.info,
      domain: new URL(env().appUrl).host,
      uri: resourceUrl,
      nonce: crypto.randomUUID().replaceAll("-", ""),
      issuedAt: now.toISOString(),
      expirationTime: new Date(now.getTime() + SIWX_MAX_AGE_SECONDS * 1000).toISOString(),
      resources: [resourceUrl],
    },
  };
}

/** Why a SIWX proof opened nothing: an x402 SIWX reason code (or ours) and a sentence. */
export type SiwxRefusal = { reason: string; message: string };

/**
 * What a SIWX proof opens on a link: the payer's {@link Access} (open, pending, or closed with a
 * reason), or a refusal when the proof itself is not acceptable or the wallet never bought the link.
 */
export type SiwxOutcome = { kind: "access"; payer: string; access: Access } | { kind: "refused"; refusal: SiwxRefusal };

const refused = (reason: string, message: string): SiwxOutcome => ({ kind: "refused", refusal: { reason, message } });

const CLOSED: Record<Extract<Access, { kind: "closed" }>["reason"], SiwxRefusal> = {
  access_expired: { reason: "siwx_access_expired", message: "Your access window for this link has ended: pay to buy it again." },
  refunded: { reason: "siwx_no_purchase", message: "Your payment for this link was refunded: pay to buy it again." },
  not_paid: { reason: "siwx_no_purchase", message: "This wallet has no settled purchase of this link: pay to get access." },
  object_gone: { reason: "siwx_object_gone", message: "The file behind this link is no longer available." },
};

/**
 * Why an outcome opens nothing now (a refused proof, or a purchase whose access is closed), or
 * undefined when it opens the file or is still settling.
 */
export function siwxRefusalOf(outcome: SiwxOutcome): SiwxRefusal | undefined {
  if (outcome.kind === "refused") return outcome.refusal;
  return outcome.access.kind === "closed" ? CLOSED[outcome.access.reason] : undefined;
}

/**
 * Checks a `SIGN-IN-WITH-X` header (base64 JSON SIWxPayload) for `link` and decides what it opens.
 * Order: parse → validate the message (domain, URI, age, expiry) → the URI names this link and the
 * chain is one of its networks → verify the signature on that network → spend the nonce (only
 * signatures that verify spend one) → the payer's newest payment for this link that opens, else the
 * newest one's state. Never throws for a client's mistake; an RPC failure while verifying a smart
 * account is a refusal (`invalid_siwx_verifier_error`) that nothing was spent for. Proofs that need
 * the chain (smart accounts) count against a per-IP limit ({@link siwxLimits}); over it they are
 * refused with the same reason.
 */
export async function siwxAccess(link: LinkForSale, header: string, opts: { clientIp?: string; now?: Date } = {}): Promise<SiwxOutcome> {
  const now = opts.now ?? new Date();
  let payload: SIWxPayload;
  try {
    payload = parseSIWxHeader(header.trim());
  } catch (error) {
    return refused("invalid_siwx_header", error instanceof Error ? error.message : "The SIGN-IN-WITH-X header is malformed.");
  }
  const validation = await validateSIWxMessage(payload, new URL(env().appUrl), { maxAge: SIWX_MAX_AGE_SECONDS * 1000 });
  if (!validation.isValid) return refused(validation.invalidReason, validation.invalidMessage);
  if (new URL(payload.uri).pathname !== `/l/${link.slug}`) {
    return refused("invalid_siwx_uri_mismatch", "The signed message names another link: sign the challenge of this link's 402.");
  }
  if (!NONCE.test(payload.nonce)) return refused("invalid_siwx_nonce", "The nonce must be 8–128 letters and digits.");
  const network = getNetwork(payload.chainId);
  if (payload.chainId !== link.network || !network?.rpcUrl) {
    return refused("invalid_siwx_unsupported_chain", `Sign in on the network this link is paid on (${link.network}).`);
  }
  const onChain = publicClient(network).verifyMessage;
  const verification = await verifySIWxSignature(payload, {
    evmVerifier: evmVerifier(async (args) => {
      await consume(siwxLimits(opts.clientIp ?? "unknown"));
      return onChain(args);
    }),
  });
  if (!verification.isValid) return refused(verification.invalidReason, verification.invalidMessage);
  if (!(await spendNonce(payload.nonce, new Date(payload.issuedAt)))) {
    return refused("invalid_siwx_nonce", "This signed message was already used: sign a fresh challenge.");
  }
  const payer = getAddress(verification.payer);
  const access = await payerAccess(link, payer, now);
  if (!access) return refused("siwx_no_purchase", "This wallet has not bought this link: pay to get access.");
  return { kind: "access", payer, access };
}

/**
 * EIP-191 signatures are checked offline first (no RPC for the common case); anything else goes to
 * the network's `verifyMessage`, which handles ERC-1271 (deployed smart accounts) and ERC-6492
 * (counterfactual ones).
 */
function evmVerifier(onChain: EVMMessageVerifier): EVMMessageVerifier {
  return async (args) => {
    if (await verifyMessage(args).catch(() => false)) return true;
    return onChain(args);
  };
}

/**
 * Spends a nonce: true for the first caller across every instance (INSERT … ON CONFLICT DO
 * NOTHING on the primary key), false afterwards. Kept until its message is too old anyway.
 */
async function spendNonce(nonce: string, issuedAt: Date): Promise<boolean> {
  const prisma = await db();
  const expiresAt = new Date(issuedAt.getTime() + SIWX_MAX_AGE_SECONDS * 1000 + 60_000);
  const rows = await prisma.$queryRaw<{ value: string }[]>`
    INSERT INTO "SiwxNonce" ("value", "expiresAt", "createdAt") VALUES (${nonce}, ${expiresAt}, now())
    ON CONFLICT DO NOTHING RETURNING "value"`;
  return rows.length === 1;
}

/** Deletes spent nonces whose messages can no longer be accepted. Returns how many. */
export async function sweepSiwxNonces(now = new Date()): Promise<number> {
  const prisma = await db();
  const { count } = await prisma.siwxNonce.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}

/**
 * The access of `payer` on `link`: the first of their newest payments (settled or still settling)
 * that opens the file, else the first one's state; null when they have none.
 */
async function payerAccess(link: LinkForSale, payer: string, now: Date): Promise<Access | null> {
  const prisma = await db();
  const payments: Payment[] = await prisma.payment.findMany({
    where: { linkId: link.id, payer, status: { in: ["settled", "settling"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 5,
  });
  let first: Access | null = null;
  for (const payment of payments) {
    const access = await accessOf(link, payment, now);
    if (access.kind === "open") return access;
    first ??= access;
  }
  return first;
}
