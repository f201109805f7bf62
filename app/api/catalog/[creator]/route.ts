import { json, parseQuery, withPublic } from "@/lib/http";
import { catalogInput, listCatalog } from "@/lib/catalog/list-catalog";

/**
 * `GET /api/catalog/{creatorAddress}?cursor=&limit=` → the same page as `GET /api/catalog`, for one
 * creator's listed, active links. 404 for a malformed address; an address with no listed links
 * gets an empty page.
 */
export const GET = withPublic<{ creator: string }>(async ({ req, params }) => {
  const query = parseQuery(req, catalogInput.omit({ creator: true }));
  return json(await listCatalog({ ...query, creator: params.creator }), {
    headers: { "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store" },
  });
});
