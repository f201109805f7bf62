-- AlterTable
ALTER TABLE "PaymentLink" ADD COLUMN     "listed" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "PaymentLink_listed_createdAt_id_idx" ON "PaymentLink"("listed", "createdAt" DESC, "id");
