import { json, withCreator } from "@/lib/http";
import { sendTestEvent } from "@/lib/webhooks/send-test-event";

/** `POST /api/webhooks/{id}/test` → 202 the pending delivery of a `webhook.test` event. 404, 409 (disabled). */
export const POST = withCreator<{ id: string }>(async ({ params, creator }) =>
  json(await sendTestEvent(creator.userId, params.id), { status: 202 }),
);
