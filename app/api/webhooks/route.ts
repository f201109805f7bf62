import { json, parseJson, withCreator } from "@/lib/http";
import { createEndpoint, createEndpointInput } from "@/lib/webhooks/create-endpoint";
import { listEndpoints } from "@/lib/webhooks/list-endpoints";

const body = createEndpointInput.omit({ ownerId: true });

/**
 * `POST /api/webhooks` `{url, description?, eventTypes?: ["sale.settled", "sale.refunded",
 * "link.sold_out", "link.expired"] (default: every type)}` → 201 the endpoint with its `secret`
 * (`whsec_…`, Standard Webhooks; shown this once, `Cache-Control: no-store`).
 * Errors: 400 `invalid_request` (`details.fields`), 401, 409 `conflict` (too many endpoints).
 */
export const POST = withCreator(async ({ req, creator }) => {
  const input = await parseJson(req, body);
  const endpoint = await createEndpoint({ ...input, ownerId: creator.userId });
  return json(endpoint, { status: 201, headers: { "cache-control": "no-store" } });
});

/**
 * `GET /api/webhooks` → `{endpoints: [{id, url, description, eventTypes, disabled, secretHint,
 * previousSecretExpiresAt, createdAt, deliveries: {pending, succeeded, failed}}], eventTypes}`.
 */
export const GET = withCreator(async ({ creator }) => json(await listEndpoints(creator.userId)));
