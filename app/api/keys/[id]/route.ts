import { json, withCreator } from "@/lib/http";
import { revokeKey } from "@/lib/keys/revoke-key";

/**
 * `DELETE /api/keys/{id}` → 200 `{ id, revokedAt }`: revokes the key (idempotent). Errors:
 * 401 `unauthorized`, 404 `not_found` (no such key for this creator).
 */
export const DELETE = withCreator<{ id: string }>(async ({ params, creator }) => {
  return json(await revokeKey({ userId: creator.userId, id: params.id }));
});
