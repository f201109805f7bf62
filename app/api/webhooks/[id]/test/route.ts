import { json, withCreator } from "@/lib/http";
import { deliverSoon } from "@/lib/webhooks/deliver-soon";
import { sendTestEvent } from "@/lib/webhooks/send-test-event";

/** `POST /api/webhooks/{id}/test` → 202 the pending delivery of a `webhook.test` event. 404, 409 (disabled). */
export const POST = withCreator<{ id: string }>(async ({ params, creator }) => {
  const delivery = await sendTestEvent(creator.userId, params.id);
  deliverSoon();
  return json(delivery, { status: 202 });
});
