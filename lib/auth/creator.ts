import "server-only";
import { getToken } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { getAddress, isAddress } from "viem";
import { authSecret } from "@/lib/auth/secret";
import { secureCookies, sessionCookieName } from "@/lib/auth/options";
import { authenticateKey } from "@/lib/keys/authenticate-key";

/** The authenticated creator of a request. */
export type Creator = {
  userId: string;
  /** Checksummed EVM address. */
  address: `0x${string}`;
  /** How the request authenticated. */
  via: "session" | "api_key";
  /** API key id when `via` is `api_key`. */
  apiKeyId?: string;
};

/**
 * Resolves the creator from an `Authorization: Bearer <key>` API key or, without that header, from
 * the next-auth session cookie (`next-auth.session-token`, `__Secure-…` over https).
 *
 * - An Authorization header always wins: a malformed, unknown or revoked key → null (the caller
 *   answers 401), even if a session cookie is present too. The header is never read as a JWT.
 * - A session is the encrypted JWT alone (it carries `userId` and `address`): no database query.
 *
 * @returns the creator, or null when neither is present or valid.
 */
export async function resolveCreator(req: Request): Promise<Creator | null> {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) return fromApiKey(authorization);
  return fromSession(req);
}

async function fromApiKey(authorization: string): Promise<Creator | null> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match?.[1]) return null;
  const key = await authenticateKey(match[1]);
  if (!key) return null;
  return { userId: key.userId, address: key.address, via: "api_key", apiKeyId: key.apiKeyId };
}

async function fromSession(req: Request): Promise<Creator | null> {
  // getToken reads `req.cookies` (a NextRequest's): rebuild one from the headers for a plain Request.
  const nextReq = req instanceof NextRequest ? req : new NextRequest(req.url, { headers: req.headers });
  const token = await getToken({
    req: nextReq,
    secret: authSecret(),
    secureCookie: secureCookies(),
    cookieName: sessionCookieName(),
  });
  if (!token || typeof token.userId !== "string" || typeof token.address !== "string") return null;
  if (!isAddress(token.address)) return null;
  return { userId: token.userId, address: getAddress(token.address), via: "session" };
}
