import { z } from "zod";
import { AppError } from "@/lib/errors";
import { json, parseJson, withCreator } from "@/lib/http";
import { getLink } from "@/lib/links/get-link";
import { revokeLink } from "@/lib/links/revoke-link";
import { setListed } from "@/lib/links/set-listed";

/** `GET /api/links/{id}` → the link, its sales (`salesList`) and its x402 challenge. 404 otherwise. */
export const GET = withCreator<{ id: string }>(async ({ params, creator }) => json(await getLink(creator.userId, params.id)));

const patch = z.union([z.object({ revoked: z.literal(true) }).strict(), z.object({ listed: z.boolean() }).strict()]);

/**
 * `PATCH /api/links/{id}` `{revoked: true}` → the revoked link (idempotent), or `{listed: true|false}`
 * → the link listed in (or removed from) the catalog and x402 discovery. 400 / 404.
 */
export const PATCH = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const body = await parseJson(req, patch).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid_request", "Send {\"revoked\": true} or {\"listed\": true|false}.");
  });
  if ("listed" in body) return json(await setListed(creator.userId, params.id, body.listed));
  return json(await revokeLink(creator.userId, params.id));
});
