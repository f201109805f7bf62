import "server-only";
import { z } from "zod";
import type { Prisma } from "@/lib/generated/prisma/client";
import { keysetCursor, readKeysetCursor } from "@/lib/keyset";
import { optionalQuery } from "@/lib/validate";

/** The statuses of a sale: a settled payment, kept or refunded. */
export const SALE_STATUSES = ["settled", "refunded"] as const;
export type SaleStatus = (typeof SALE_STATUSES)[number];

/**
 * The filter every sales use case shares: one creator's sales (settled payments, refunded ones
 * included), optionally narrowed to a status, a link, a network (CAIP-2) and a `[from, to)` time
 * range (ISO 8601 instants, compared with `settledAt`). Query-string friendly: empty values are ignored.
 */
export const salesFilterFields = {
  status: optionalQuery(z.enum(SALE_STATUSES)),
  linkId: optionalQuery(z.string().max(64)),
  network: optionalQuery(z.string().regex(/^eip155:\d{1,12}$/, "Use a CAIP-2 network id like eip155:8453.")),
  from: optionalQuery(z.iso.datetime({ offset: true, message: "Use an ISO 8601 date-time, like 2026-01-31T00:00:00Z." })),
  to: optionalQuery(z.iso.datetime({ offset: true, message: "Use an ISO 8601 date-time, like 2026-01-31T00:00:00Z." })),
};

/** Rejects a range whose end is not after its start. */
export function rangeCheck<S extends z.ZodType<{ from?: string; to?: string }>>(schema: S): S {
  return schema.refine((v) => !v.from || !v.to || new Date(v.from) < new Date(v.to), {
    path: ["to"],
    message: "The end of the range must be after its start.",
  });
}

/** The filter with its owner, as the use cases take it. */
export const salesFilterInput = rangeCheck(z.object({ ownerId: z.string().min(1), ...salesFilterFields }));
export type SalesFilter = z.output<typeof salesFilterInput>;

/** Pagination fields of the list (query-string friendly). */
export const salesPageFields = {
  /** The `nextCursor` of the previous page (see {@link salesCursor}). */
  cursor: optionalQuery(z.string().max(200)),
  limit: z.coerce.number().int().min(1).max(100).default(25),
};

/** The statuses a filter asks for: its `status`, or both. */
export function saleStatuses(f: { status?: SaleStatus }): SaleStatus[] {
  return f.status ? [f.status] : [...SALE_STATUSES];
}

/**
 * The Prisma `where` of a parsed filter for one status: such payments on links the creator owns.
 * One status at a time keeps every query on one range of the `(status, settledAt, …)` index.
 */
export function salesWhere(f: SalesFilter, status: SaleStatus): Prisma.PaymentWhereInput {
  return {
    status,
    link: { ownerId: f.ownerId },
    ...(f.linkId ? { linkId: f.linkId } : {}),
    ...(f.network ? { network: f.network } : {}),
    ...(f.from || f.to
      ? { settledAt: { ...(f.from ? { gte: new Date(f.from) } : {}), ...(f.to ? { lt: new Date(f.to) } : {}) } }
      : {}),
  };
}

/** Sales ordering: newest settlement first, id as the tie-breaker (stable cursor pagination). */
export const SALES_ORDER: Prisma.PaymentOrderByWithRelationInput[] = [{ settledAt: "desc" }, { id: "desc" }];

/** The opaque cursor after a sale: the sort key of {@link SALES_ORDER} (see lib/keyset.ts). */
export function salesCursor(sale: { id: string; settledAt: Date | null }): string {
  return keysetCursor(sale.settledAt, sale.id);
}

/**
 * The `where` of the rows after a {@link salesCursor} in {@link SALES_ORDER}: settled earlier, or at
 * the same instant with a smaller id. A malformed cursor → ZodError (400 `invalid_request`).
 */
export function afterSalesCursor(cursor: string | undefined): Prisma.PaymentWhereInput {
  if (!cursor) return {};
  const { at: settledAt, id } = readKeysetCursor(cursor);
  return { OR: [{ settledAt: { lt: settledAt } }, { settledAt, id: { lt: id } }] };
}
