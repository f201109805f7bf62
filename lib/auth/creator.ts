import "server-only";

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
 * Resolves the creator from a next-auth session cookie or an `Authorization: Bearer <key>` API key.
 * Returns null when neither is present or valid.
 */
export async function resolveCreator(_req: Request): Promise<Creator | null> {
  throw new Error("resolveCreator: implemented by the auth module");
}
