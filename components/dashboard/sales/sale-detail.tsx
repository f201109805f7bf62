"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { api, ApiError, errorMessage } from "@/components/dashboard/api";
import { TxLink } from "@/components/dashboard/links/link-detail";
import { keys } from "@/components/dashboard/queries";
import { RefundPanel } from "@/components/dashboard/sales/refund-panel";
import { PageHeader } from "@/components/dashboard/shell";
import type { SaleItem } from "@/components/dashboard/types";
import { formatDateTime, formatMoney, formatUsdc } from "@/lib/format";

const back = (
  <Link href="/dashboard/sales" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
    <ArrowLeftIcon /> Sales
  </Link>
);

/** One sale: what was paid, by whom, on which network and transaction; its refund, or refunding it. */
export function SaleDetailPage({ id }: { id: string }) {
  const sale = useQuery({
    queryKey: [...keys.sales, "detail", id],
    queryFn: () => api<SaleItem>(`/api/sales/${encodeURIComponent(id)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  if (sale.isLoading) {
    return (
      <div role="status" aria-label="Loading">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="mt-8 h-64" />
      </div>
    );
  }
  if (sale.isError || !sale.data) {
    return (
      <>
        <PageHeader title="Sale" back={back} />
        <Card>
          {sale.error instanceof ApiError && sale.error.status === 404 ? (
            <EmptyState title="Sale not found" description="It does not exist, or it belongs to another account." />
          ) : (
            <ErrorState message={errorMessage(sale.error)} onRetry={() => sale.refetch()} />
          )}
        </Card>
      </>
    );
  }
  const s = sale.data;
  const rows: [string, React.ReactNode][] = [
    ["Amount", `${formatUsdc(s.amount)} (${s.amount} atomic units)`],
    ["Paid", formatDateTime(s.settledAt)],
    [
      "Buyer",
      <Address key="b" value={s.payer} label="Copy buyer address" />,
    ],
    [
      "Payee",
      <Address key="p" value={s.link.payTo} label="Copy payee address" />,
    ],
    ["Network", `${s.networkName} · ${s.network}`],
    ["Token", <Address key="t" value={s.asset} label="Copy token address" />],
    ["Transaction", <TxLink key="tx" hash={s.transaction} url={s.transactionUrl} />],
    ["x402", `v${s.x402Version}`],
  ];
  return (
    <>
      <PageHeader
        back={back}
        title={
          <span>
            {formatMoney(s.amount)} <span className="text-base font-normal text-zinc-500">USDC</span>
          </span>
        }
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {s.status === "refunded" ? <Badge tone="red">Refunded</Badge> : <Badge tone="green">Settled</Badge>}
            <span>
              for{" "}
              <Link href={`/dashboard/links/${s.link.id}`} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
                {s.link.title ?? s.link.objectName}
              </Link>
            </span>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="self-start">
          <CardHeader title="Payment" />
          <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            {rows.map(([k, v]) => (
              <div key={k} className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:px-5">
                <dt className="flex-none text-zinc-500">{k}</dt>
                <dd className="min-w-0 text-right">{v}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card className="self-start">
          <CardHeader title="Refund" />
          {s.refund ? (
            <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="refund-details">
              <div className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:px-5">
                <dt className="text-zinc-500">Refunded</dt>
                <dd>{formatUsdc(s.refund.amount)}</dd>
              </div>
              <div className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:px-5">
                <dt className="text-zinc-500">When</dt>
                <dd>{formatDateTime(s.refund.refundedAt)}</dd>
              </div>
              <div className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:px-5">
                <dt className="text-zinc-500">Transaction</dt>
                <dd>
                  <TxLink hash={s.refund.transaction} url={s.refund.transactionUrl} />
                </dd>
              </div>
              <p className="px-4 py-3 text-xs text-zinc-500 sm:px-5">The buyer’s receipt no longer opens the file.</p>
            </dl>
          ) : (
            <RefundPanel sale={s} />
          )}
        </Card>
      </div>
    </>
  );
}

function Address({ value, label }: { value: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <code className="break-all font-mono text-xs">{value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}
