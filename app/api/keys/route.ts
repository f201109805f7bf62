import { AppError } from "@/lib/errors";
import { json, parseJson, withCreator } from "@/lib/http";
import { createKey, createKeyInput } from "@/lib/keys/create-key";
import { listKeys } from "@/lib/keys/list-keys";

const body = createKeyInput.omit({ userId: true });

/**
 * `POST /api/keys` `{ name, scopes?: ["full"] }` → 201
 * `{ id, name, prefix, scopes, createdAt, secret }` (`Cache-Control: no-store`; the secret is shown
 * this once). Session only. Errors: 401 `unauthorized`, 403 `forbidden` (called with an API key),
 * 400 `invalid_request` (name empty or over 100 characters).
 */
export const POST = withCreator(async ({ req, creator }) => {
  if (creator.via !== "session") {
    throw new AppError("forbidden", "An API key cannot create API keys: sign in to create one.");
  }
  const { name, scopes } = await parseJson(req, body);
  const key = await createKey({ userId: creator.userId, name, scopes });
  return json(key, { status: 201, headers: { "cache-control": "no-store" } });
});

/**
 * `GET /api/keys` → 200 `{ keys: [{ id, name, prefix, scopes, createdAt, lastUsedAt, revokedAt }] }`,
 * newest first, without secrets. Errors: 401 `unauthorized`.
 */
export const GET = withCreator(async ({ creator }) => {
  return json({ keys: await listKeys({ userId: creator.userId }) });
});
