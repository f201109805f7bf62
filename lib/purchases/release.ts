import "server-only";
import { db } from "@/lib/db";
import { forgetLinks } from "@/lib/purchases/sale";

/** Marks a reservation failed and gives its purchase slot back. */
export async function release(paymentId: string, linkId: string, error: string): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const updated = await tx.payment.updateMany({
      where: { id: paymentId, status: "settling" },
      data: { status: "failed", error },
    });
    if (updated.count === 1) {
      await tx.$executeRaw`UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" - 1 WHERE "id" = ${linkId} AND "purchaseCount" > 0`;
    }
  });
  forgetLinks();
}
