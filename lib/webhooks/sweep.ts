import "server-only";
import { db } from "@/lib/db";

/** How far back the sweep looks for expiries (a server down longer than this skips older ones). */
const LOOKBACK_DAYS = 7;

/**
 * Records `link.expired` for links whose expiry has passed — nothing writes to the database when
 * time passes, so a sweep finds them. A link counts as expired when it was still selling at its
 * expiry: not revoked before it, not sold out, its file not deleted. Each (link, expiry) is recorded
 * once whatever the number of instances sweeping (unique dedupe key; an extended then expired link
 * is a new expiry), for endpoints that existed at that expiry.
 * @returns how many events were recorded.
 */
export async function sweepExpiredLinks(): Promise<number> {
  const prisma = await db();
  const rows = await prisma.$queryRaw<{ event: string | null }[]>`
    SELECT vend_webhook_emit(l."ownerId", 'link.expired', jsonb_build_object('link', vend_webhook_link(l."id")), k."key", l."expiresAt") AS "event"
    FROM "PaymentLink" l
    JOIN "StoredObject" o ON o."id" = l."objectId"
    CROSS JOIN LATERAL (SELECT 'link.expired:' || l."id" || ':' || vend_iso(l."expiresAt") AS "key") k
    WHERE l."expiresAt" <= (now() AT TIME ZONE 'UTC')
      AND l."expiresAt" > (now() AT TIME ZONE 'UTC') - ${LOOKBACK_DAYS}::int * interval '1 day'
      AND (l."revokedAt" IS NULL OR l."revokedAt" > l."expiresAt")
      AND (l."maxPurchases" IS NULL OR l."purchaseCount" < l."maxPurchases")
      AND o."deletedAt" IS NULL
      AND EXISTS (
        SELECT 1 FROM "WebhookEndpoint" e
        WHERE e."ownerId" = l."ownerId" AND e."disabledAt" IS NULL AND e."createdAt" <= l."expiresAt"
          AND (cardinality(e."eventTypes") = 0 OR 'link.expired' = ANY (e."eventTypes")))
      AND NOT EXISTS (SELECT 1 FROM "WebhookEvent" w WHERE w."dedupeKey" = k."key")`;
  return rows.filter((r) => r.event !== null).length;
}
