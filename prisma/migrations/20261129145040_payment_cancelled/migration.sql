-- AlterEnum
ALTER TYPE "PaymentStatus" ADD VALUE 'cancelled';
