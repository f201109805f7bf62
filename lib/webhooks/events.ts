import "server-only";
import { env } from "@/lib/env";
import { formatAmount } from "@/lib/money";
import { getNetwork } from "@/lib/networks";

/**
 * Webhook event types a creator can subscribe to. They are written to the outbox by the database
 * (prisma/migrations/…_webhooks): `sale.settled` / `sale.refunded` when a payment enters that
 * status, `link.sold_out` when a link's sales reach its `maxPurchases`; `link.expired` by the
 * expiry sweep (lib/webhooks/sweep.ts).
 */
export const EVENT_TYPES = ["sale.settled", "sale.refunded", "link.sold_out", "link.expired"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The type of the event "send a test event" delivers (to one endpoint, whatever it subscribes to). */
export const TEST_EVENT_TYPE = "webhook.test";

/** A stored event, as the sender reads it. */
export type StoredEvent = { id: string; type: string; data: unknown; createdAt: Date };

type Row = Record<string, unknown>;

function amountFields(row: Row): Row {
  const network = typeof row.network === "string" ? getNetwork(row.network) : undefined;
  const amount = typeof row.amount === "string" ? row.amount : null;
  return {
    ...(amount === null ? {} : { price: formatAmount(BigInt(amount), network?.decimals) }),
    ...(network ? { networkName: network.name } : {}),
  };
}

function renderLink(link: Row): Row {
  const slug = typeof link.slug === "string" ? link.slug : "";
  return { ...link, ...amountFields(link), url: `${env().appUrl}/l/${slug}`, payUrl: `${env().appUrl}/pay/${slug}` };
}

function renderData(data: unknown): unknown {
  if (!data || typeof data !== "object") return data;
  const out: Row = { ...(data as Row) };
  if (out.sale && typeof out.sale === "object") {
    const sale = out.sale as Row;
    const refund = sale.refund && typeof sale.refund === "object" ? { refund: { ...(sale.refund as Row), ...amountFields({ ...(sale.refund as Row), network: sale.network }) } } : {};
    out.sale = { ...sale, ...amountFields(sale), ...refund };
  }
  if (out.link && typeof out.link === "object") out.link = renderLink(out.link as Row);
  return out;
}

/**
 * The JSON body of a delivery (Standard Webhooks payload structure): `{type, timestamp, data}`.
 * `timestamp` is when the event happened (ISO 8601); `data.sale` / `data.link` are the snapshot the
 * database took in the reporting transaction, with `amount` in atomic units (string) and, added
 * here, the exact decimal `price`, the `networkName` and the link's `url` / `payUrl`.
 * Deterministic: every attempt of an event sends the same bytes.
 */
export function eventBody(event: StoredEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: renderData(event.data) });
}
