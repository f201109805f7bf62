import { z } from "zod";
import { AppError } from "@/lib/errors";
import { json, parseJson, withCreator } from "@/lib/http";
import { getLink } from "@/lib/links/get-link";
import { revokeLink } from "@/lib/links/revoke-link";
import { setListed } from "@/lib/links/set-listed";
import { updateLink } from "@/lib/links/update-link";
import { deliverSoon } from "@/lib/webhooks/deliver-soon";

/** `GET /api/links/{id}` → the link, its sales (`salesList`) and its x402 challenge. 404 otherwise. */
export const GET = withCreator<{ id: string }>(async ({ params, creator }) => json(await getLink(creator.userId, params.id)));

const revoke = z.object({ revoked: z.literal(true) }).strict();
const listed = z.object({ listed: z.boolean() }).strict();

/**
 * `PATCH /api/links/{id}` — one of: `{revoked: true}` → the revoked link (idempotent);
 * `{listed: true|false}` → the link listed in (or removed from) the catalog and x402 discovery;
 * an edit `{title?, description?, expiresAt? | expiresIn?, maxPurchases? (null = no limit),
 * accessSeconds?}` → the edited link (see lib/links/update-link.ts; the pay page and the 402 follow
 * at once). Errors: 400 `invalid_request` with `details.fields` (a price, payee, token, network or
 * file change; max purchases below the purchases made; a bad value), 404, 409 `conflict` (revoked link).
 */
export const PATCH = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const body = await parseJson(req, z.record(z.string(), z.unknown()));
  if ("revoked" in body || "listed" in body) {
    const revoking = revoke.safeParse(body);
    if (revoking.success) return json(await revokeLink(creator.userId, params.id));
    const listing = listed.safeParse(body);
    if (listing.success) return json(await setListed(creator.userId, params.id, listing.data.listed));
    throw new AppError("invalid_request", "Send {\"revoked\": true} or {\"listed\": true|false} alone; edit other fields in another request.");
  }
  const link = await updateLink(creator.userId, params.id, body);
  deliverSoon();
  return json(link);
});
