import { json, withCreator } from "@/lib/http";
import { rotateSecret } from "@/lib/webhooks/rotate-secret";

/**
 * `POST /api/webhooks/{id}/secret` → the endpoint with its new `secret` (shown this once,
 * `Cache-Control: no-store`); the previous secret keeps signing for 24 h next to it. 404.
 */
export const POST = withCreator<{ id: string }>(async ({ params, creator }) =>
  json(await rotateSecret(creator.userId, params.id), { headers: { "cache-control": "no-store" } }),
);
