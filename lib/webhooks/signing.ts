import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** How long a rotated-out secret keeps signing next to the new one. */
export const PREVIOUS_SECRET_GRACE_MS = 24 * 3600 * 1000;

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks: 24–64 bytes). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * The Standard Webhooks headers of one attempt, signed with the `standardwebhooks` package:
 * `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (unix seconds of this
 * attempt) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per
 * secret, space-separated — two during a rotation's grace period).
 */
export function signedHeaders(eventId: string, body: string, secrets: string[], at = new Date()): Record<string, string> {
  return {
    "webhook-id": eventId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(eventId, at, body)).join(" "),
  };
}
