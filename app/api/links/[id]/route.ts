import { z } from "zod";
import { AppError } from "@/lib/errors";
import { json, parseJson, withCreator } from "@/lib/http";
import { getLink } from "@/lib/links/get-link";
import { revokeLink } from "@/lib/links/revoke-link";

/** `GET /api/links/{id}` → the link, its sales (`salesList`) and its x402 challenge. 404 otherwise. */
export const GET = withCreator<{ id: string }>(async ({ params, creator }) => json(await getLink(creator.userId, params.id)));

const patch = z.object({ revoked: z.literal(true) }).strict();

/** `PATCH /api/links/{id}` `{revoked: true}` → the revoked link (idempotent). 400 / 404. */
export const PATCH = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const body = await parseJson(req, patch).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    throw new AppError("invalid_request", "Only {\"revoked\": true} is supported.");
  });
  if (body.revoked) return json(await revokeLink(creator.userId, params.id));
  throw new AppError("invalid_request", "Nothing to change.");
});
