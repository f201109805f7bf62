import "server-only";
import { createPublicClient, getAddress, http, verifyMessage, type Address, type Hex } from "viem";
import { generateSiweNonce, parseSiweMessage, validateSiweMessage, type SiweMessage } from "viem/siwe";
import { z } from "zod";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { allNetworks } from "@/lib/networks";

/** How long an issued nonce can be used to sign in. */
export const SIWE_NONCE_TTL_MS = 5 * 60 * 1000;

/** A fresh single-use nonce for a Sign-In with Ethereum message. */
export type IssuedNonce = { nonce: string; expiresAt: Date };

/**
 * Issues a sign-in nonce: viem's `generateSiweNonce()` (96 alphanumeric characters), stored in
 * `SiweNonce` and valid for 5 minutes, once. Expired nonces are swept on the way.
 * @returns `{ nonce, expiresAt }` — the client puts `nonce` in the EIP-4361 `Nonce:` field.
 */
export async function issueNonce(): Promise<IssuedNonce> {
  const prisma = await db();
  const now = new Date();
  const nonce = generateSiweNonce();
  const expiresAt = new Date(now.getTime() + SIWE_NONCE_TTL_MS);
  await prisma.siweNonce.deleteMany({ where: { expiresAt: { lte: now } } });
  await prisma.siweNonce.create({ data: { value: nonce, expiresAt } });
  return { nonce, expiresAt };
}

/** What the wallet signed: the EIP-4361 message text and its `personal_sign` signature. */
export type SiweSignInInput = { message: string; signature: string };

/** The creator a successful sign-in resolves to. */
export type SiweSignIn = { userId: string; address: Address };

const input = z.object({
  message: z.string().min(1).max(8192),
  signature: z.string().regex(/^0x(?:[0-9a-fA-F]{2})+$/),
});

/** A parsed message whose required EIP-4361 fields are all present. */
type ParsedSiwe = Partial<SiweMessage> &
  Pick<SiweMessage, "address" | "domain" | "uri" | "version" | "chainId" | "nonce" | "issuedAt">;

/**
 * Verifies a Sign-In with Ethereum (EIP-4361) message and its signature, consumes its nonce and
 * returns the creator (created on first sign-in, keyed by checksummed address, id `usr_…`).
 *
 * EIP-4361 fields checked (parsed by viem's `parseSiweMessage`, validated by `validateSiweMessage`):
 * - `domain` must equal the host of `APP_URL` (e.g. `localhost:3000`); `URI` must be on the same
 *   origin; a `scheme`, when present, must be APP_URL's scheme;
 * - `version` must be `1`; `Chain ID` any positive integer (no chain is required to sign in);
 * - `Issued At` must be a valid timestamp; `Expiration Time` (if any) must be in the future and
 *   `Not Before` (if any) in the past;
 * - the signature must be by `address`: EOAs are verified offline (viem `verifyMessage`); when that
 *   fails and an RPC URL is configured for `Chain ID`, viem's `verifySiweMessage` on a public client
 *   checks contract wallets (ERC-1271, undeployed ERC-6492);
 * - `Nonce` must have been issued by {@link issueNonce}, be unexpired and unused: it is consumed
 *   atomically, after the signature is verified (so a forged request cannot burn a pending nonce).
 *
 * @throws AppError `siwe_invalid` (401) with a specific message: malformed message, wrong domain or
 *   URI, expired or not-yet-valid message, bad signature, expired or unknown nonce.
 * @throws AppError `upstream_error` (502) when a contract-wallet check could not reach the RPC.
 */
export async function verifySiweSignIn(credentials: SiweSignInInput): Promise<SiweSignIn> {
  const parsedInput = input.safeParse(credentials);
  if (!parsedInput.success) {
    throw invalid("Send the EIP-4361 `message` and its hex `signature`.");
  }
  const { message } = parsedInput.data;
  const signature = parsedInput.data.signature as Hex;
  const fields = parseFields(message);
  const now = new Date();
  checkOrigin(fields);
  checkTimes(fields, now);

  const app = new URL(env().appUrl);
  const valid = validateSiweMessage({
    message: fields,
    domain: app.host,
    nonce: fields.nonce,
    scheme: fields.scheme === undefined ? undefined : app.protocol.slice(0, -1),
    time: now,
  });
  if (!valid) throw invalid("The message failed EIP-4361 validation.");

  await verifySignature(fields, message, signature, now);

  const prisma = await db();
  const consumed = await prisma.siweNonce.deleteMany({ where: { value: fields.nonce, expiresAt: { gt: now } } });
  if (consumed.count !== 1) {
    throw invalid("The sign-in nonce is expired or unknown (each nonce works once, within 5 minutes). Request a new one.");
  }

  const address = getAddress(fields.address);
  const user = await prisma.user.upsert({
    where: { address },
    create: { id: newId("usr"), address },
    update: {},
    select: { id: true },
  });
  return { userId: user.id, address };
}

function invalid(message: string): AppError {
  return new AppError("siwe_invalid", message);
}

function parseFields(message: string): ParsedSiwe {
  const fields = parseSiweMessage(message);
  const { address, domain, uri, version, chainId, nonce, issuedAt } = fields;
  if (!address || !domain || !uri || !version || chainId === undefined || !nonce || !issuedAt) {
    throw invalid("The message is not a valid EIP-4361 (Sign-In with Ethereum) message.");
  }
  if (version !== "1") throw invalid(`Unsupported EIP-4361 version "${version}" (expected 1).`);
  if (!Number.isSafeInteger(chainId) || chainId < 1) throw invalid("The message's Chain ID must be a positive integer.");
  if (Number.isNaN(issuedAt.getTime())) throw invalid("The message's Issued At is not an RFC 3339 timestamp.");
  return { ...fields, address, domain, uri, version, chainId, nonce, issuedAt };
}

function checkOrigin(fields: ParsedSiwe): void {
  const app = new URL(env().appUrl);
  if (fields.domain !== app.host) {
    throw invalid(`Wrong domain: the message is for "${fields.domain}", but this app is "${app.host}". Sign in from ${app.origin}.`);
  }
  let uri: URL;
  try {
    uri = new URL(fields.uri);
  } catch {
    throw invalid("The message's URI is not a valid URI.");
  }
  if (uri.origin !== app.origin) {
    throw invalid(`Wrong URI: the message's URI "${fields.uri}" is not on ${app.origin}.`);
  }
  if (fields.scheme !== undefined && `${fields.scheme}:` !== app.protocol) {
    throw invalid(`Wrong scheme: the message is for "${fields.scheme}", but this app uses "${app.protocol.slice(0, -1)}".`);
  }
}

function checkTimes(fields: ParsedSiwe, now: Date): void {
  const { expirationTime, notBefore } = fields;
  if (expirationTime) {
    if (Number.isNaN(expirationTime.getTime())) throw invalid("The message's Expiration Time is not an RFC 3339 timestamp.");
    if (now >= expirationTime) throw invalid(`The message expired at ${expirationTime.toISOString()}. Sign in again.`);
  }
  if (notBefore) {
    if (Number.isNaN(notBefore.getTime())) throw invalid("The message's Not Before is not an RFC 3339 timestamp.");
    if (now < notBefore) throw invalid(`The message is not valid before ${notBefore.toISOString()}.`);
  }
}

async function verifySignature(fields: ParsedSiwe, message: string, signature: Hex, now: Date): Promise<void> {
  if (await verifiesAsEoa(fields.address, message, signature)) return;
  const rpcUrl = rpcUrlFor(fields.chainId);
  if (rpcUrl) {
    const client = createPublicClient({ transport: http(rpcUrl) });
    let ok: boolean;
    try {
      ok = await client.verifySiweMessage({
        message,
        signature,
        address: fields.address,
        domain: fields.domain,
        nonce: fields.nonce,
        time: now,
      });
    } catch (error) {
      console.error("[vend] SIWE contract-wallet verification failed", error);
      throw new AppError("upstream_error", `Could not check the wallet's signature on chain ${fields.chainId}: its RPC failed. Try again.`);
    }
    if (ok) return;
  }
  throw invalid(
    `Bad signature: it was not made by ${fields.address}` +
      (rpcUrl ? "." : ` (contract wallets need an RPC URL for chain ${fields.chainId} configured on this server).`),
  );
}

async function verifiesAsEoa(address: Address, message: string, signature: Hex): Promise<boolean> {
  try {
    return await verifyMessage({ address, message, signature });
  } catch {
    return false;
  }
}

function rpcUrlFor(chainId: number): string | undefined {
  for (const network of allNetworks().values()) {
    if (network.chainId === chainId && network.rpcUrl) return network.rpcUrl;
  }
  return undefined;
}
