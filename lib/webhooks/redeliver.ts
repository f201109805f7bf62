import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { DELIVERY_INCLUDE, deliveryJson, type DeliveryJson } from "@/lib/webhooks/delivery-json";
import { ownedEndpoint } from "@/lib/webhooks/get-endpoint";

/**
 * The redeliver button: sends a delivery's event again now, with the same `webhook-id` (receivers
 * that already processed it can recognise it). A delivered or failed delivery starts a fresh
 * retry schedule; a pending one is simply made due now (unless an instance is sending it right now).
 * Its log keeps every attempt.
 * @returns the delivery. @throws AppError `not_found` (404).
 */
export async function redeliver(ownerId: string, endpointId: string, deliveryId: string): Promise<DeliveryJson> {
  const endpoint = await ownedEndpoint(ownerId, endpointId);
  const prisma = await db();
  const delivery = await prisma.webhookDelivery.findFirst({ where: { id: deliveryId, endpointId: endpoint.id } });
  if (!delivery) throw notFound("Delivery");
  const now = new Date();
  await prisma.webhookDelivery.updateMany({
    where: { id: delivery.id, OR: [{ status: { not: "pending" } }, { lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data:
      delivery.status === "pending"
        ? { nextAttemptAt: now }
        : { status: "pending", attempts: 0, nextAttemptAt: now, lockedUntil: null, deliveredAt: null },
  });
  return deliveryJson(await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id }, include: DELIVERY_INCLUDE }));
}
