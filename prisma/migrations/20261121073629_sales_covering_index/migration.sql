-- DropIndex
DROP INDEX "Payment_status_settledAt_idx";

-- CreateIndex
CREATE INDEX "Payment_status_settledAt_linkId_amount_idx" ON "Payment"("status", "settledAt" DESC, "linkId", "amount");
