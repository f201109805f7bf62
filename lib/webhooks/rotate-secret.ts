import "server-only";
import { db } from "@/lib/db";
import { endpointJson, type EndpointJson } from "@/lib/webhooks/endpoint-json";
import { ownedEndpoint } from "@/lib/webhooks/get-endpoint";
import { newSecret, PREVIOUS_SECRET_GRACE_MS } from "@/lib/webhooks/signing";

/**
 * Rotates an endpoint's signing secret. For the next 24 hours deliveries carry two signatures
 * (new and previous secret), so the receiver can switch to the new secret without rejecting any.
 * @returns the endpoint and its new `secret` — returned this once. @throws AppError `not_found` (404).
 */
export async function rotateSecret(ownerId: string, id: string): Promise<EndpointJson & { secret: string }> {
  const endpoint = await ownedEndpoint(ownerId, id);
  const secret = newSecret();
  const prisma = await db();
  const updated = await prisma.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { secret, previousSecret: endpoint.secret, previousSecretExpiresAt: new Date(Date.now() + PREVIOUS_SECRET_GRACE_MS) },
  });
  return { ...endpointJson(updated), secret };
}
