import { z } from "zod";
import { json, parseJson, parseQuery, withCreator } from "@/lib/http";
import { createLink, createLinkInput } from "@/lib/links/create-link";
import { listLinks, listLinksInput } from "@/lib/links/list-links";

/**
 * `POST /api/links` `{objectId, payTo, price: "0.01", network: "eip155:…", expiresAt | expiresIn,
 * maxPurchases?, accessSeconds? (default 86400), title?, description?, listed? (default false)}` → 201 the link with its
 * shareable `url`. Errors: 400 `invalid_request` with `details.fields` (per-field messages), 404
 * when the object is not the caller's.
 */
export const POST = withCreator(async ({ req, creator }) => {
  const body = await parseJson(req, z.record(z.string(), z.unknown()));
  const link = await createLink({ ...(body as Omit<z.input<typeof createLinkInput>, "ownerId">), ownerId: creator.userId });
  return json(link, { status: 201 });
});

/**
 * `GET /api/links?status=active|expired|revoked|sold_out|object_gone&objectId=&cursor=&limit=`
 * → `{links: [...with sales {count, revenue}], nextCursor}`.
 */
export const GET = withCreator(async ({ req, creator }) => {
  const query = parseQuery(req, listLinksInput.omit({ ownerId: true }));
  return json(await listLinks({ ...query, ownerId: creator.userId }));
});
