import "server-only";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { linkJson } from "@/lib/links/link-json";
import { getNetwork, txUrl } from "@/lib/networks";
import { saleTerms } from "@/lib/purchases/sale";
import { challengeExtensions } from "@/lib/x402/challenge-extensions";
import { receiptFacts, signedReceipt } from "@/lib/x402/offer-receipt";
import { paymentRequired, requirementsV2 } from "@/lib/x402/requirements";

/** The most recent sales returned with a link. */
const SALES_LIMIT = 100;

/**
 * One of the creator's links with its settled sales (newest first, up to 100) and the exact x402
 * challenge an agent receives (`paymentRequired`: the v2 PaymentRequired of the `PAYMENT-REQUIRED`
 * header, with its extensions; `paymentRequiredV1`: the v1 JSON body). Each sale carries its signed
 * x402 offer-receipt receipt (`offerReceipt`), the same the buyer received.
 * @throws AppError `not_found` (404) when the link is not the caller's.
 */
export async function getLink(ownerId: string, id: string) {
  const prisma = await db();
  const link = await prisma.paymentLink.findFirst({ where: { id, ownerId }, include: { object: true } });
  if (!link) throw notFound("Payment link");
  const [payments, totals] = await Promise.all([
    prisma.payment.findMany({
      where: { linkId: link.id, status: "settled" },
      orderBy: [{ settledAt: "desc" }, { id: "desc" }],
      take: SALES_LIMIT,
    }),
    prisma.payment.aggregate({ where: { linkId: link.id, status: "settled" }, _count: { _all: true }, _sum: { amount: true } }),
  ]);
  const network = getNetwork(link.network);
  let challenge: ReturnType<typeof paymentRequired> | null = null;
  if (network?.rpcUrl) {
    const terms = saleTerms(link);
    challenge = paymentRequired(terms, undefined, await challengeExtensions(link, [requirementsV2(terms)]));
  }
  return {
    ...linkJson(link, { count: totals._count._all, revenue: totals._sum.amount ?? 0n }),
    paymentRequired: challenge?.v2 ?? null,
    paymentRequiredV1: challenge?.bodyV1 ?? null,
    salesList: await Promise.all(payments.map(async (p) => ({
      id: p.id,
      payer: p.payer,
      amount: p.amount.toString(),
      network: p.network,
      transaction: p.transaction,
      transactionUrl: network && p.transaction ? (txUrl(network, p.transaction) ?? null) : null,
      settledAt: p.settledAt?.toISOString() ?? null,
      offerReceipt: await signedReceipt(receiptFacts(link.slug, p)),
    }))),
  };
}
