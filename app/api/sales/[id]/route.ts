import { json, withCreator } from "@/lib/http";
import { getSale } from "@/lib/sales/get-sale";

export const dynamic = "force-dynamic";

/**
 * `GET /api/sales/{id}` → the sale as in `GET /api/sales` (`status` `settled` | `refunded`, `refund`
 * `{transaction, transactionUrl, amount, price, refundedAt}` once refunded, `link.payTo` the payee
 * who refunds). 401, 404.
 */
export const GET = withCreator<{ id: string }>(async ({ params, creator }) => json(await getSale(creator.userId, params.id)));
