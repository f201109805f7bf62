"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { DownloadIcon, ReceiptIcon, XIcon } from "@/components/ui/icons";
import { Field, Input, Select } from "@/components/ui/input";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { errorMessage, qs } from "@/components/dashboard/api";
import { useDashboard } from "@/components/dashboard/context";
import { formatDateTime, formatMoney, formatTimeAgo, shortAddress } from "@/lib/format";
import { TxLink } from "@/components/dashboard/links/link-detail";
import { Pager, useCursorPages } from "@/components/dashboard/pager";
import { useLinks, useSales, type SalesFilterParams } from "@/components/dashboard/queries";
import { RevenueChart } from "@/components/dashboard/revenue-chart";
import { PageHeader } from "@/components/dashboard/shell";
import type { SaleItem } from "@/components/dashboard/types";

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar day `YYYY-MM-DD` → the ISO instant of its local midnight (`plusDays` later). */
function localMidnight(day: string, plusDays = 0): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** The filter from the URL: days are the creator's local days, `to` inclusive. */
function useFilter() {
  const params = useSearchParams();
  const get = (k: string) => params.get(k) ?? "";
  const from = DAY_RE.test(get("from")) ? get("from") : "";
  const to = DAY_RE.test(get("to")) ? get("to") : "";
  const ui = { linkId: get("linkId"), network: get("network"), from, to };
  const api: SalesFilterParams = {
    linkId: ui.linkId || undefined,
    network: ui.network || undefined,
    from: from ? localMidnight(from) : undefined,
    to: to ? localMidnight(to, 1) : undefined,
  };
  return { ui, api, active: Boolean(ui.linkId || ui.network || from || to) };
}

/** Every settled payment, filterable, with totals, the 30-day chart and CSV export of the filter. */
export function SalesPage() {
  const router = useRouter();
  const pathname = usePathname();
  const filter = useFilter();
  const pages = useCursorPages();
  const sales = useSales({ ...filter.api, cursor: pages.cursor });
  const links = useLinks({ limit: 100 });
  const { networks } = useDashboard();
  const invalidRange = Boolean(filter.ui.from && filter.ui.to && filter.ui.from > filter.ui.to);

  const set = (patch: Partial<typeof filter.ui>) => {
    pages.reset();
    router.replace(`${pathname}${qs({ ...filter.ui, ...patch })}`, { scroll: false });
  };
  const exportHref = `/api/sales/export${qs({ ...filter.api })}`;
  const data = sales.data;

  return (
    <>
      <PageHeader
        title="Sales"
        description="Every settled payment. Amounts are exact USDC."
        actions={
          <a href={exportHref} download className={buttonClass("secondary", "md", invalidRange ? "pointer-events-none opacity-50" : undefined)} aria-disabled={invalidRange || undefined} data-testid="export-csv">
            <DownloadIcon /> Export CSV
          </a>
        }
      />

      <Card className="mb-6">
        <div className="grid grid-cols-2 gap-3 p-4 sm:gap-4 sm:p-5 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto] lg:items-end">
          <Field label="Link" className="col-span-2 lg:col-span-1">
            {(c) => (
              <Select {...c} value={filter.ui.linkId} onChange={(e) => set({ linkId: e.target.value })}>
                <option value="">All links</option>
                {links.data?.links.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.title ?? l.object.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Network" className="col-span-2 lg:col-span-1">
            {(c) => (
              <Select {...c} value={filter.ui.network} onChange={(e) => set({ network: e.target.value })}>
                <option value="">All networks</option>
                {networks.map((n) => (
                  <option key={n.id} value={n.id}>
                    {n.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="From">
            {(c) => <Input {...c} type="date" value={filter.ui.from} max={filter.ui.to || undefined} onChange={(e) => set({ from: e.target.value })} />}
          </Field>
          <Field label="To" error={invalidRange ? "Must be on or after “From”." : undefined}>
            {(c) => <Input {...c} type="date" value={filter.ui.to} min={filter.ui.from || undefined} onChange={(e) => set({ to: e.target.value })} />}
          </Field>
          <Button variant="ghost" disabled={!filter.active} onClick={() => set({ linkId: "", network: "", from: "", to: "" })} className={filter.active ? "col-span-2 lg:col-span-1" : "hidden lg:inline-flex"}>
            <XIcon /> Clear
          </Button>
        </div>
      </Card>

      <div className="mb-6 grid grid-cols-2 gap-3 sm:grid-cols-3">
        <Stat label={filter.active ? "Revenue (filtered)" : "Revenue, all time"} value={data && formatMoney(data.totals.revenue)} unit="USDC" testId="sales-total-revenue" />
        <Stat label={filter.active ? "Sales (filtered)" : "Sales, all time"} value={data && String(data.totals.count)} testId="sales-total-count" />
        <Stat label="Last 30 days" value={data && formatMoney(data.last30.revenue)} unit="USDC" className="col-span-2 sm:col-span-1" />
      </div>

      <Card className="mb-6">
        <CardHeader title="Revenue over time" description={`Per day, your time zone${filter.ui.linkId || filter.ui.network ? ", for the selected link and network" : ""}.`} />
        <div className="p-4 sm:p-5">{data ? <RevenueChart days={data.days} /> : <Skeleton className="h-60 w-full" />}</div>
      </Card>

      <Card>
        <CardHeader title="Payments" />
        {sales.isLoading ? (
          <TableSkeleton columns={6} />
        ) : sales.isError ? (
          <ErrorState message={errorMessage(sales.error)} onRetry={() => sales.refetch()} />
        ) : !data?.sales.length ? (
          <EmptyState
            icon={<ReceiptIcon size={18} />}
            title={filter.active ? "No sales match these filters" : "No sales yet"}
            description={filter.active ? "Widen the date range or clear the filters." : "When someone buys through one of your links, the payment shows up here."}
          />
        ) : (
          <>
            <SalesTable sales={data.sales} />
            <Pager
              page={pages.page}
              hasNext={Boolean(data.nextCursor)}
              onPrev={pages.prev}
              onNext={() => data.nextCursor && pages.next(data.nextCursor)}
              busy={sales.isFetching}
            />
          </>
        )}
      </Card>
    </>
  );
}

function Stat({ label, value, unit, testId, className }: { label: string; value?: string; unit?: string; testId?: string; className?: string }) {
  return (
    <div className={`rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900 ${className ?? ""}`}>
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      {value === undefined ? (
        <Skeleton className="mt-2 h-7 w-28" />
      ) : (
        <p className="mt-1 truncate text-xl font-semibold tabular-nums sm:text-2xl" data-testid={testId}>
          {value}
          {unit && <span className="ml-1 text-sm font-normal text-zinc-500">{unit}</span>}
        </p>
      )}
    </div>
  );
}

/** A sale's amount: exact USDC from atomic units. */
function Amount({ sale }: { sale: SaleItem }) {
  return (
    <>
      {formatMoney(sale.amount)} <span className="font-normal text-zinc-500">USDC</span>
    </>
  );
}

/** The latest sales as a list (the overview's narrow card): link, amount, time and network. */
export function SalesList({ sales }: { sales: SaleItem[] }) {
  return (
    <ul aria-label="Latest sales" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {sales.map((s) => (
        <li key={s.id} data-testid="sale-row" className="flex items-center gap-3 px-4 py-3 sm:px-5">
          <div className="min-w-0 flex-1">
            <Link href={`/dashboard/links/${s.link.id}`} className="block truncate text-sm font-medium hover:underline">
              {s.link.title ?? s.link.objectName}
            </Link>
            <p className="truncate text-xs text-zinc-500">
              <time dateTime={s.settledAt} title={formatDateTime(s.settledAt)}>
                {formatTimeAgo(s.settledAt)}
              </time>{" "}
              · {s.networkName}
            </p>
          </div>
          <p className="flex-none text-right text-sm font-medium whitespace-nowrap tabular-nums" data-testid="sale-amount">
            <Amount sale={s} />
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The sales table; on phones each sale is a line: link and amount, then the time. */
export function SalesTable({ sales }: { sales: SaleItem[] }) {
  return (
    <Table aria-label="Sales">
      <THead>
        <tr>
          <TH>Time</TH>
          <TH>Link</TH>
          <TH className="hidden md:table-cell">Payer</TH>
          <TH className="text-right">Amount</TH>
          <TH className="hidden lg:table-cell">Network</TH>
          <TH className="hidden sm:table-cell">Transaction</TH>
        </tr>
      </THead>
      <TBody>
        {sales.map((s) => (
          <TR key={s.id} data-testid="sale-row">
            <TD className="whitespace-nowrap max-sm:order-last max-sm:basis-full max-sm:text-xs max-sm:text-zinc-500">
              <time dateTime={s.settledAt} title={formatDateTime(s.settledAt)}>
                {formatTimeAgo(s.settledAt)}
              </time>
            </TD>
            <TD className="flex-1 basis-32 sm:max-w-48">
              <Link href={`/dashboard/links/${s.link.id}`} className="block truncate font-medium hover:underline">
                {s.link.title ?? s.link.objectName}
              </Link>
            </TD>
            <TD className="hidden md:table-cell">
              <span className="inline-flex items-center gap-1">
                <code className="font-mono text-xs" title={s.payer}>
                  {shortAddress(s.payer)}
                </code>
                <CopyButton value={s.payer} label="Copy payer address" />
              </span>
            </TD>
            <TD className="whitespace-nowrap text-right font-medium tabular-nums" data-testid="sale-amount">
              <Amount sale={s} />
            </TD>
            <TD className="hidden whitespace-nowrap text-zinc-600 lg:table-cell dark:text-zinc-400">{s.networkName}</TD>
            <TD className="hidden sm:table-cell">
              <TxLink hash={s.transaction} url={s.transactionUrl} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
