-- CreateTable
CREATE TABLE "SiwxNonce" (
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SiwxNonce_pkey" PRIMARY KEY ("value")
);

-- CreateIndex
CREATE INDEX "SiwxNonce_expiresAt_idx" ON "SiwxNonce"("expiresAt");

-- CreateIndex
CREATE INDEX "Payment_linkId_payer_idx" ON "Payment"("linkId", "payer");
