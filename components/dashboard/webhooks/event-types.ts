/** What each subscribable event means, for the endpoint form. */
export const EVENT_LABELS: Record<string, string> = {
  "sale.settled": "A payment settled on chain",
  "sale.refunded": "You refunded a sale",
  "link.sold_out": "A link reached its maximum purchases",
  "link.expired": "A link passed its expiry",
};
