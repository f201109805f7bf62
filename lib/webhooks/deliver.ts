import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { WebhookDelivery, WebhookEndpoint, WebhookEvent } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";
import { eventBody } from "@/lib/webhooks/events";
import { postWebhook, type SendResult } from "@/lib/webhooks/send";
import { signedHeaders } from "@/lib/webhooks/signing";
import { internalTargetsAllowed } from "@/lib/webhooks/targets";

/** Deliveries claimed per round. */
const BATCH = 20;
/**
 * A claim's lease outlives the attempt's timeout by this much; after it, another instance may
 * retry (the sender crashed or was stopped mid-attempt). Recording an attempt takes milliseconds.
 */
const LEASE_MARGIN_SECONDS = 15;
const USER_AGENT = "Vend-Webhooks/1 (+https://www.standardwebhooks.com)";

type Claim = { id: string; attempts: number; lockedUntil: Date };

/** What a round did: attempts made, and how they ended. */
export type DeliveryRound = { attempted: number; succeeded: number; retrying: number; failed: number };

/**
 * Claims up to `limit` due deliveries for this instance: pending, due, not leased (or leased by a
 * sender whose lease ran out: it crashed), endpoint enabled. `FOR UPDATE SKIP LOCKED` lets every
 * instance claim at once without waiting or taking the same row; the lease (`lockedUntil`) keeps
 * a claimed row from being claimed again until the attempt is recorded or the lease ends.
 */
async function claim(limit: number): Promise<Claim[]> {
  const prisma = await db();
  const leaseSeconds = Math.ceil(env().WEBHOOK_TIMEOUT_SECONDS) + LEASE_MARGIN_SECONDS;
  return prisma.$queryRaw<Claim[]>`
    WITH due AS (
      SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
      WHERE d."status" = 'pending' AND d."nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
        AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= (now() AT TIME ZONE 'UTC'))
        AND e."disabledAt" IS NULL
      ORDER BY d."nextAttemptAt"
      LIMIT ${limit}::int
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE "WebhookDelivery" d
    SET "lockedUntil" = (now() AT TIME ZONE 'UTC') + ${leaseSeconds}::int * interval '1 second', "attempts" = d."attempts" + 1
    FROM due WHERE d."id" = due."id"
    RETURNING d."id", d."attempts", d."lockedUntil"`;
}

/** The secrets that sign now: the current one, and the previous one during its grace period. */
function signingSecrets(endpoint: WebhookEndpoint, now: Date): string[] {
  const previous =
    endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now ? [endpoint.previousSecret] : [];
  return [endpoint.secret, ...previous];
}

/**
 * One attempt of a claimed delivery: sign (Standard Webhooks), POST, then record the attempt in
 * the log and the delivery's new state in one transaction — `succeeded` on a 2xx; otherwise the
 * next attempt after the retry schedule's step (WEBHOOK_RETRY_SECONDS), or `failed` when it is used up.
 * The record only applies while this instance still holds the lease.
 */
async function attempt(
  delivery: WebhookDelivery & { event: WebhookEvent; endpoint: WebhookEndpoint },
  lease: Claim,
): Promise<"succeeded" | "retrying" | "failed"> {
  const body = eventBody(delivery.event);
  const startedAt = new Date();
  const result: SendResult = await postWebhook({
    url: delivery.endpoint.url,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      ...signedHeaders(delivery.event.id, body, signingSecrets(delivery.endpoint, startedAt), startedAt),
    },
    timeoutMs: env().WEBHOOK_TIMEOUT_SECONDS * 1000,
    allowInternal: internalTargetsAllowed(),
  });
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const schedule = env().WEBHOOK_RETRY_SECONDS;
  const outcome = ok ? "succeeded" : lease.attempts > schedule.length ? "failed" : "retrying";
  const now = new Date();
  const prisma = await db();
  await prisma.$transaction([
    prisma.webhookAttempt.create({
      data: {
        id: newId("wha"),
        deliveryId: delivery.id,
        startedAt,
        durationMs: result.durationMs,
        statusCode: result.statusCode,
        error: result.error,
        responseBody: result.responseBody,
      },
    }),
    prisma.webhookDelivery.updateMany({
      where: { id: delivery.id, lockedUntil: lease.lockedUntil },
      data: {
        lockedUntil: null,
        lastStatus: result.statusCode,
        lastError: result.error,
        ...(outcome === "succeeded" ? { status: "succeeded", deliveredAt: now } : {}),
        ...(outcome === "failed" ? { status: "failed" } : {}),
        ...(outcome === "retrying" ? { nextAttemptAt: new Date(now.getTime() + schedule[lease.attempts - 1]! * 1000) } : {}),
      },
    }),
  ]);
  return outcome;
}

/**
 * One delivery round: claims up to `limit` due deliveries and attempts them concurrently.
 * Safe to run on every instance at once (each delivery is claimed by one of them).
 */
export async function deliverDue(limit = BATCH): Promise<DeliveryRound> {
  const claims = await claim(limit);
  const round: DeliveryRound = { attempted: claims.length, succeeded: 0, retrying: 0, failed: 0 };
  if (!claims.length) return round;
  const prisma = await db();
  const deliveries = await prisma.webhookDelivery.findMany({
    where: { id: { in: claims.map((c) => c.id) } },
    include: { event: true, endpoint: true },
  });
  const leases = new Map(claims.map((c) => [c.id, c]));
  const outcomes = await Promise.all(deliveries.map((d) => attempt(d, leases.get(d.id)!)));
  for (const outcome of outcomes) round[outcome]++;
  return round;
}
