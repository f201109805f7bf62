-- CreateEnum
CREATE TYPE "SettlementTxKind" AS ENUM ('transfer', 'deploy', 'filler');

-- CreateEnum
CREATE TYPE "SettlementTxStatus" AS ENUM ('pending', 'abandoned', 'mined', 'dropped');

-- CreateTable
CREATE TABLE "SettlementNonce" (
    "chainId" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "next" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SettlementNonce_pkey" PRIMARY KEY ("chainId","address")
);

-- CreateTable
CREATE TABLE "SettlementTransaction" (
    "hash" TEXT NOT NULL,
    "chainId" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "nonce" BIGINT NOT NULL,
    "kind" "SettlementTxKind" NOT NULL,
    "paymentId" TEXT,
    "raw" TEXT NOT NULL,
    "status" "SettlementTxStatus" NOT NULL DEFAULT 'pending',
    "broadcastAt" TIMESTAMP(3),
    "fromBlock" BIGINT NOT NULL,
    "success" BOOLEAN,
    "blockNumber" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SettlementTransaction_pkey" PRIMARY KEY ("hash")
);

-- CreateIndex
CREATE INDEX "SettlementTransaction_paymentId_idx" ON "SettlementTransaction"("paymentId");

-- CreateIndex
CREATE INDEX "SettlementTransaction_chainId_address_nonce_idx" ON "SettlementTransaction"("chainId", "address", "nonce");

-- CreateIndex
CREATE INDEX "SettlementTransaction_status_chainId_address_nonce_idx" ON "SettlementTransaction"("status", "chainId", "address", "nonce");
