import { json, parseJson, withCreator } from "@/lib/http";
import { refundSale, refundSaleInput } from "@/lib/sales/refund-sale";
import { deliverSoon } from "@/lib/webhooks/deliver-soon";

/**
 * `POST /api/sales/{id}/refund` `{transaction: "0x…"}` — records the refund of a sale made by that
 * transaction, after checking it on the sale's network (mined and successful; the sale's token sent
 * from the payee to the payer, at least the amount paid; a hash refunds one sale). For creators who
 * refund from elsewhere; the dashboard sends the refund from the payee wallet and calls this.
 * 200 → the sale with its `refund` (the same hash again → the same answer). Errors: 400
 * `invalid_request`, 404, 409 `conflict` (already refunded / hash used) or `refund_pending` (not
 * mined yet: retry), 422 `refund_not_verified` (what is wrong, in `message`), 503 `unavailable`.
 */
export const POST = withCreator<{ id: string }>(async ({ req, params, creator }) => {
  const input = await parseJson(req, refundSaleInput);
  const sale = await refundSale(creator.userId, params.id, input);
  deliverSoon();
  return json(sale);
});
