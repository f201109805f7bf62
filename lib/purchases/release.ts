import "server-only";
import { db } from "@/lib/db";
import { forgetLinks } from "@/lib/purchases/sale";

/**
 * Ends a `settling` reservation that will never be a sale and gives its purchase slot back, in one
 * transaction: `failed` with `error` (the default), or `cancelled` when the payer cancelled the
 * authorization on chain. A row that is no longer `settling` (another instance decided it) is left
 * as it is, and its slot untouched.
 */
export async function release(
  paymentId: string,
  linkId: string,
  error: string,
  status: "failed" | "cancelled" = "failed",
): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const updated = await tx.payment.updateMany({
      where: { id: paymentId, status: "settling" },
      data: { status, error },
    });
    if (updated.count === 1) {
      await tx.$executeRaw`UPDATE "PaymentLink" SET "purchaseCount" = "purchaseCount" - 1 WHERE "id" = ${linkId} AND "purchaseCount" > 0`;
    }
  });
  forgetLinks();
}
