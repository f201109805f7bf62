import { json, withCreator } from "@/lib/http";
import { redeliver } from "@/lib/webhooks/redeliver";

/** `POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver` → 202 the delivery, due now. 404. */
export const POST = withCreator<{ id: string; deliveryId: string }>(async ({ params, creator }) =>
  json(await redeliver(creator.userId, params.id, params.deliveryId), { status: 202 }),
);
