import { json, parseJson, withCreator } from "@/lib/http";
import { deleteEndpoint } from "@/lib/webhooks/delete-endpoint";
import { getEndpoint } from "@/lib/webhooks/get-endpoint";
import { updateEndpoint, updateEndpointInput } from "@/lib/webhooks/update-endpoint";

/** `GET /api/webhooks/{id}` → the endpoint with its delivery counts. 404. */
export const GET = withCreator<{ id: string }>(async ({ params, creator }) => json(await getEndpoint(creator.userId, params.id)));

/**
 * `PATCH /api/webhooks/{id}` `{url?, description?, eventTypes?, disabled?}` → the endpoint.
 * 400 `invalid_request`, 404.
 */
export const PATCH = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const input = await parseJson(req, updateEndpointInput);
  return json(await updateEndpoint(creator.userId, params.id, input));
});

/** `DELETE /api/webhooks/{id}` → `{id, deleted: true}` (its deliveries and log go too). 404. */
export const DELETE = withCreator<{ id: string }>(async ({ params, creator }) => json(await deleteEndpoint(creator.userId, params.id)));
