-- AlterTable
ALTER TABLE "PaymentLink" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;
