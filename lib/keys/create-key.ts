import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { newId } from "@/lib/ids";

/**
 * Scopes an API key can carry. Only `full` exists today: the key acts as its creator on every
 * creator route except minting keys (POST /api/keys needs a session). Stored per key so that
 * narrower scopes can be added without migrating existing keys.
 */
export const API_KEY_SCOPES = ["full"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Every secret starts with this, so leaked keys are recognisable (secret scanners, logs). */
export const API_KEY_SECRET_PREFIX = "vend_sk_";
/** Characters of the secret kept in clear and shown in lists (`vend_sk_` + 4). */
export const API_KEY_PREFIX_LENGTH = 12;
/** Shape of a secret: the marker + 32 base64url characters (24 random bytes = 192 bits). */
export const API_KEY_SECRET_PATTERN = /^vend_sk_[A-Za-z0-9_-]{32}$/;

/** Input of {@link createKey}; also the body schema of POST /api/keys (without `userId`). */
export const createKeyInput = z.object({
  userId: z.string().min(1),
  name: z.string().trim().min(1, "Give the key a name.").max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).default(["full"]),
});
export type CreateKeyInput = z.input<typeof createKeyInput>;

/** A freshly created key. `secret` is returned this once and never stored. */
export type CreatedKey = { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; secret: string };

/** SHA-256 of a secret, hex: what `ApiKey.hash` stores and lookups compare. */
export function hashApiKeySecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * Creates an API key for `userId`: secret `vend_sk_` + 32 base64url characters (192 random bits),
 * stored only as its SHA-256 hex; `prefix` (first 12 characters) is kept to tell keys apart.
 * `scopes` defaults to `["full"]` (the only scope).
 * @returns `{ id: "key_…", name, prefix, scopes, createdAt, secret }` — show `secret` once.
 * @throws ZodError (→ 400 `invalid_request`) on an empty or over-long name or an unknown scope.
 */
export async function createKey(input: CreateKeyInput): Promise<CreatedKey> {
  const { userId, name, scopes } = createKeyInput.parse(input);
  const secret = `${API_KEY_SECRET_PREFIX}${randomBytes(24).toString("base64url")}`;
  const prisma = await db();
  const key = await prisma.apiKey.create({
    data: {
      id: newId("key"),
      userId,
      name,
      prefix: secret.slice(0, API_KEY_PREFIX_LENGTH),
      hash: hashApiKeySecret(secret),
      scopes,
    },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true },
  });
  return { ...key, secret };
}
