import { json, withCreator } from "@/lib/http";
import { deliverSoon } from "@/lib/webhooks/deliver-soon";
import { redeliver } from "@/lib/webhooks/redeliver";

/** `POST /api/webhooks/{id}/deliveries/{deliveryId}/redeliver` → 202 the delivery, due now. 404. */
export const POST = withCreator<{ id: string; deliveryId: string }>(async ({ params, creator }) => {
  const delivery = await redeliver(creator.userId, params.id, params.deliveryId);
  deliverSoon();
  return json(delivery, { status: 202 });
});
