/*
  Warnings:

  - A unique constraint covering the columns `[refundTransaction]` on the table `Payment` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "refundAmount" BIGINT,
ADD COLUMN     "refundTransaction" TEXT,
ADD COLUMN     "refundedAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "Payment_refundTransaction_key" ON "Payment"("refundTransaction");

-- Webhooks: a sale's snapshot carries its refund (`sale.refunded`).
CREATE OR REPLACE FUNCTION vend_webhook_sale(payment_id TEXT) RETURNS JSONB LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'id', p."id", 'status', p."status", 'payer', p."payer", 'amount', p."amount"::text, 'network', p."network",
    'asset', p."asset", 'transaction', p."transaction", 'settledAt', vend_iso(p."settledAt"), 'x402Version', p."x402Version",
    'refund', CASE WHEN p."refundTransaction" IS NULL THEN NULL ELSE jsonb_build_object(
      'transaction', p."refundTransaction", 'amount', p."refundAmount"::text, 'refundedAt', vend_iso(p."refundedAt")) END)
  FROM "Payment" p
  WHERE p."id" = payment_id
$$;
