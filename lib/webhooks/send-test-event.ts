import "server-only";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { DELIVERY_INCLUDE, deliveryJson, type DeliveryJson } from "@/lib/webhooks/delivery-json";
import { TEST_EVENT_TYPE } from "@/lib/webhooks/events";
import { ownedEndpoint } from "@/lib/webhooks/get-endpoint";

/**
 * "Send a test event": records a `webhook.test` event for this endpoint only, delivered like any
 * other (signed, retried, logged) within about a second on a long-lived server.
 * @returns the pending delivery. @throws AppError `not_found` (404); `conflict` (409) when the
 *   endpoint is disabled.
 */
export async function sendTestEvent(ownerId: string, endpointId: string): Promise<DeliveryJson> {
  const endpoint = await ownedEndpoint(ownerId, endpointId);
  if (endpoint.disabledAt) throw new AppError("conflict", "This endpoint is disabled: enable it to send a test event.");
  const prisma = await db();
  const now = new Date();
  const eventId = newId("msg");
  const delivery = await prisma.$transaction(async (tx) => {
    await tx.webhookEvent.create({
      data: {
        id: eventId,
        ownerId,
        type: TEST_EVENT_TYPE,
        data: { message: "A test event from Vend: this endpoint receives and verifies webhooks.", endpoint: { id: endpoint.id, url: endpoint.url } },
        createdAt: now,
      },
    });
    return tx.webhookDelivery.create({
      data: { id: newId("whd"), eventId, endpointId: endpoint.id, nextAttemptAt: now, createdAt: now },
      include: DELIVERY_INCLUDE,
    });
  });
  return deliveryJson(delivery);
}
