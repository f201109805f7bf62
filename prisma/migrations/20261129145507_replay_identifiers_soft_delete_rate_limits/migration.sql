/*
  Warnings:

  - A unique constraint covering the columns `[paymentIdentifier]` on the table `Payment` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "payloadHash" TEXT,
ADD COLUMN     "paymentIdentifier" TEXT;

-- AlterTable
ALTER TABLE "StoredObject" ADD COLUMN     "purgedAt" TIMESTAMP(3);

-- Objects deleted before this migration lost their bytes at once.
UPDATE "StoredObject" SET "purgedAt" = "deletedAt" WHERE "deletedAt" IS NOT NULL;

-- CreateTable
CREATE TABLE "RateLimit" (
    "key" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateLimit_pkey" PRIMARY KEY ("key","windowStart")
);

-- CreateIndex
CREATE INDEX "RateLimit_windowStart_idx" ON "RateLimit"("windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "Payment_paymentIdentifier_key" ON "Payment"("paymentIdentifier");

-- CreateIndex
CREATE INDEX "StoredObject_deletedAt_idx" ON "StoredObject"("deletedAt");
