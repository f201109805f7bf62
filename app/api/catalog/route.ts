import { json, parseQuery, withPublic } from "@/lib/http";
import { catalogInput, listCatalog } from "@/lib/catalog/list-catalog";

/**
 * `GET /api/catalog?cursor=&limit=` (limit 1–100, default 50) → `{x402Version: 2, items, nextCursor}`:
 * the deployment's listed, active links, newest first, each shaped like an x402 discovery resource
 * (resource, type, x402Version, accepts, lastUpdated, description, mimeType) plus title, size, price,
 * network, expiresAt, creator and payUrl. Public; unlisted links never appear. 400 for bad paging.
 */
export const GET = withPublic(async ({ req }) => {
  const query = parseQuery(req, catalogInput.omit({ creator: true }));
  return json(await listCatalog(query), { headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" } });
});
