-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "WebhookEndpoint" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "eventTypes" TEXT[],
    "secret" TEXT NOT NULL,
    "previousSecret" TEXT,
    "previousSecretExpiresAt" TIMESTAMP(3),
    "disabledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WebhookEndpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookEvent" (
    "id" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "statusCode" INTEGER,
    "error" TEXT,
    "responseBody" TEXT,

    CONSTRAINT "WebhookAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "WebhookEndpoint_ownerId_createdAt_idx" ON "WebhookEndpoint"("ownerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookEvent_dedupeKey_key" ON "WebhookEvent"("dedupeKey");

-- CreateIndex
CREATE INDEX "WebhookEvent_ownerId_createdAt_idx" ON "WebhookEvent"("ownerId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_endpointId_createdAt_id_idx" ON "WebhookDelivery"("endpointId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "WebhookAttempt_deliveryId_startedAt_idx" ON "WebhookAttempt"("deliveryId", "startedAt");

-- CreateIndex
CREATE INDEX "PaymentLink_expiresAt_idx" ON "PaymentLink"("expiresAt");

-- AddForeignKey
ALTER TABLE "WebhookEndpoint" ADD CONSTRAINT "WebhookEndpoint_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookEvent" ADD CONSTRAINT "WebhookEvent_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "WebhookEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_endpointId_fkey" FOREIGN KEY ("endpointId") REFERENCES "WebhookEndpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookAttempt" ADD CONSTRAINT "WebhookAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "WebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─── Webhook outbox, written by the database itself ─────────────────────────────────────────────
-- Events are recorded in the transaction of the change they report, whoever makes it (the purchase
-- use case, the reconciler, any instance): a crash loses nothing, a rollback records nothing.
-- Timestamps are UTC TIMESTAMP(3), as Prisma stores them.

-- An instant as the ISO 8601 string the API uses everywhere ("2026-11-29T15:00:00.000Z").
CREATE FUNCTION vend_iso(ts TIMESTAMP(3)) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Records an event for `owner` and one pending delivery per enabled endpoint subscribed to `type`
-- (an empty `eventTypes` subscribes to everything). Nothing is written when no endpoint listens.
-- `dedupe`: a unique key for events more than one writer may find (a second one is ignored).
-- `occurred`: endpoints created after it do not receive the event (the expiry sweep's past events).
-- Returns the event id (`msg_…`, the Standard Webhooks `webhook-id`), or NULL when nothing was written.
CREATE FUNCTION vend_webhook_emit(owner TEXT, type TEXT, data JSONB, dedupe TEXT DEFAULT NULL, occurred TIMESTAMP(3) DEFAULT NULL)
RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
  at TIMESTAMP(3) := now() AT TIME ZONE 'UTC';
  event_id TEXT := 'msg_' || replace(gen_random_uuid()::text, '-', '');
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM "WebhookEndpoint" e
    WHERE e."ownerId" = owner AND e."disabledAt" IS NULL
      AND (cardinality(e."eventTypes") = 0 OR type = ANY (e."eventTypes"))
      AND (occurred IS NULL OR e."createdAt" <= occurred)
  ) THEN
    RETURN NULL;
  END IF;
  INSERT INTO "WebhookEvent" ("id", "ownerId", "type", "data", "dedupeKey", "createdAt")
  VALUES (event_id, owner, type, data, dedupe, at)
  ON CONFLICT ("dedupeKey") DO NOTHING;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  INSERT INTO "WebhookDelivery" ("id", "eventId", "endpointId", "status", "attempts", "nextAttemptAt", "createdAt")
  SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), event_id, e."id", 'pending', 0, at, at
  FROM "WebhookEndpoint" e
  WHERE e."ownerId" = owner AND e."disabledAt" IS NULL
    AND (cardinality(e."eventTypes") = 0 OR type = ANY (e."eventTypes"))
    AND (occurred IS NULL OR e."createdAt" <= occurred);
  RETURN event_id;
END $$;

-- The `link` object of an event: the link as it stands now.
CREATE FUNCTION vend_webhook_link(link_id TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', l."id", 'slug', l."slug", 'title', l."title", 'objectId', l."objectId", 'objectName', o."name",
    'payTo', l."payTo", 'amount', l."amount"::text, 'network', l."network", 'asset', l."asset",
    'expiresAt', vend_iso(l."expiresAt"), 'maxPurchases', l."maxPurchases", 'purchaseCount', l."purchaseCount")
  FROM "PaymentLink" l JOIN "StoredObject" o ON o."id" = l."objectId"
  WHERE l."id" = link_id
$$;

-- The `sale` object of an event: the payment as it stands now.
CREATE FUNCTION vend_webhook_sale(payment_id TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p."id", 'status', p."status", 'payer', p."payer", 'amount', p."amount"::text, 'network', p."network",
    'asset', p."asset", 'transaction', p."transaction", 'settledAt', vend_iso(p."settledAt"), 'x402Version', p."x402Version")
  FROM "Payment" p
  WHERE p."id" = payment_id
$$;

-- `link.sold_out` once the link's sales (settled, or settled then refunded) reach `maxPurchases`.
-- Counted under a per-link transaction lock, so two sales settling at once cannot both miss it;
-- the dedupe key (link, limit) makes it once per limit (raising the limit can sell out again).
CREATE FUNCTION vend_webhook_check_sold_out(link_id TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  link RECORD;
  sold BIGINT;
BEGIN
  SELECT l."ownerId", l."maxPurchases" INTO link FROM "PaymentLink" l WHERE l."id" = link_id;
  IF link IS NULL OR link."maxPurchases" IS NULL THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('vend.link.sold_out'), hashtext(link_id));
  SELECT count(*) INTO sold FROM "Payment" p WHERE p."linkId" = link_id AND p."status" IN ('settled', 'refunded');
  IF sold >= link."maxPurchases" THEN
    PERFORM vend_webhook_emit(link."ownerId", 'link.sold_out', jsonb_build_object('link', vend_webhook_link(link_id)),
      'link.sold_out:' || link_id || ':' || link."maxPurchases");
  END IF;
END $$;

-- `sale.settled` / `sale.refunded` when a payment enters that status (inserted or updated, one row
-- or many), then the sold-out check. Rows of creators without an enabled endpoint are skipped
-- before any per-row work (bulk inserts stay cheap).
CREATE FUNCTION vend_webhook_payment_changes() RETURNS TRIGGER LANGUAGE plpgsql AS $$
DECLARE
  r RECORD;
BEGIN
  FOR r IN
    SELECT n."id", n."linkId", n."status", l."ownerId"
    FROM new_rows n JOIN "PaymentLink" l ON l."id" = n."linkId"
    WHERE n."status" IN ('settled', 'refunded')
      AND EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."ownerId" = l."ownerId" AND e."disabledAt" IS NULL)
    ORDER BY n."id"
  LOOP
    IF TG_OP = 'UPDATE' THEN
      -- Only a change of status is an event (old_rows exists only in the UPDATE trigger).
      IF EXISTS (SELECT 1 FROM old_rows o WHERE o."id" = r."id" AND o."status" = r."status") THEN
        CONTINUE;
      END IF;
    END IF;
    PERFORM vend_webhook_emit(r."ownerId", 'sale.' || r."status",
      jsonb_build_object('sale', vend_webhook_sale(r."id"), 'link', vend_webhook_link(r."linkId")));
    IF r."status" = 'settled' THEN
      PERFORM vend_webhook_check_sold_out(r."linkId");
    END IF;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER "Payment_webhook_insert" AFTER INSERT ON "Payment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vend_webhook_payment_changes();
CREATE TRIGGER "Payment_webhook_update" AFTER UPDATE ON "Payment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vend_webhook_payment_changes();
