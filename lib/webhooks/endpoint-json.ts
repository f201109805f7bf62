import "server-only";
import type { WebhookEndpoint } from "@/lib/generated/prisma/client";

/**
 * The API view of a webhook endpoint: never its secret (shown once at creation and rotation);
 * `secretHint` is its first characters, to tell secrets apart. `previousSecretExpiresAt` is set
 * while a rotated-out secret still signs next to the new one.
 */
export function endpointJson(e: WebhookEndpoint, now = new Date()) {
  const rotating = e.previousSecretExpiresAt && e.previousSecretExpiresAt > now ? e.previousSecretExpiresAt : null;
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes,
    disabled: e.disabledAt !== null,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    secretHint: `${e.secret.slice(0, 10)}…`,
    previousSecretExpiresAt: rotating?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
export type EndpointJson = ReturnType<typeof endpointJson>;
