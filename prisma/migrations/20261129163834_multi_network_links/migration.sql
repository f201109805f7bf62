-- AlterTable
ALTER TABLE "PaymentLink" ADD COLUMN     "assets" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "networks" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- Existing links sell on their one network: list it, so every link reads the same way.
UPDATE "PaymentLink" SET "networks" = ARRAY["network"], "assets" = ARRAY["asset"] WHERE cardinality("networks") = 0;

-- Webhooks: a link's snapshot lists its networks.
CREATE OR REPLACE FUNCTION vend_webhook_link(link_id TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', l."id", 'slug', l."slug", 'title', l."title", 'objectId', l."objectId", 'objectName', o."name",
    'payTo', l."payTo", 'amount', l."amount"::text, 'network', l."network", 'asset', l."asset",
    'networks', to_jsonb(l."networks"),
    'expiresAt', vend_iso(l."expiresAt"), 'maxPurchases', l."maxPurchases", 'purchaseCount', l."purchaseCount")
  FROM "PaymentLink" l JOIN "StoredObject" o ON o."id" = l."objectId"
  WHERE l."id" = link_id
$$;
