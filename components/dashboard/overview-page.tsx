"use client";

import Link from "next/link";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { CheckIcon, PlusIcon, ReceiptIcon, UploadIcon } from "@/components/ui/icons";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";
import { errorMessage } from "@/components/dashboard/api";
import { formatMoney } from "@/lib/format";
import { useLinks, useObjects, useSales } from "@/components/dashboard/queries";
import { RevenueChart } from "@/components/dashboard/revenue-chart";
import { SalesList } from "@/components/dashboard/sales/sales-page";
import { PageHeader } from "@/components/dashboard/shell";

/** Overview: revenue (all time, 30 days), sales, active links, the chart and the latest sales. */
export function OverviewPage() {
  const sales = useSales({ limit: 5 });
  const active = useLinks({ status: "active", limit: 100 });
  const anyLink = useLinks({ limit: 1 });
  const objects = useObjects({ limit: 1 });
  const data = sales.data;
  const activeCount = active.data ? `${active.data.links.length}${active.data.nextCursor ? "+" : ""}` : undefined;
  const steps = [
    { done: Boolean(objects.data?.objects.length), label: "Upload a file", href: "/dashboard/objects" },
    { done: Boolean(anyLink.data?.links.length), label: "Create a payment link", href: "/dashboard/links/new" },
    { done: Boolean(data?.totals.count), label: "Make your first sale", href: "/dashboard/links" },
  ];
  const onboarding = objects.data && anyLink.data && data && steps.some((s) => !s.done);

  return (
    <>
      <PageHeader
        title="Overview"
        actions={
          <>
            <ButtonLink href="/dashboard/objects">
              <UploadIcon /> Upload
            </ButtonLink>
            <ButtonLink href="/dashboard/links/new" variant="primary">
              <PlusIcon /> New link
            </ButtonLink>
          </>
        }
      />
      {onboarding && (
        <Card className="mb-6">
          <CardHeader title="Get started" description="Three steps to your first sale." />
          <ol className="grid gap-px overflow-hidden rounded-b-xl bg-zinc-200 sm:grid-cols-3 dark:bg-zinc-800">
            {steps.map((s, i) => (
              <li key={s.label} className="bg-white dark:bg-zinc-900">
                <Link href={s.href} className="flex items-center gap-3 p-4 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500 sm:p-5 dark:hover:bg-zinc-800/50">
                  <span
                    className={cn(
                      "flex h-7 w-7 flex-none items-center justify-center rounded-full text-xs font-semibold",
                      s.done ? "bg-emerald-500 text-white" : "border border-zinc-300 text-zinc-500 dark:border-zinc-700",
                    )}
                  >
                    {s.done ? <CheckIcon size={14} /> : i + 1}
                  </span>
                  <span className={cn("text-sm font-medium", s.done && "text-zinc-400 line-through")}>{s.label}</span>
                </Link>
              </li>
            ))}
          </ol>
        </Card>
      )}
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Revenue, all time" value={data && formatMoney(data.totals.revenue)} unit="USDC" testId="overview-revenue" />
        <Stat label="Last 30 days" value={data && formatMoney(data.last30.revenue)} unit="USDC" />
        <Stat label="Sales" value={data && String(data.totals.count)} testId="overview-sales" />
        <Stat label="Active links" value={activeCount} href="/dashboard/links?status=active" testId="overview-active-links" />
      </div>
      <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card className="min-w-0">
          <CardHeader title="Revenue" description="Per day, last 30 days, in your time zone." />
          <div className="p-4 sm:p-5">{data ? <RevenueChart days={data.days} /> : <Skeleton className="h-60 w-full" />}</div>
        </Card>
        <Card className="min-w-0">
          <CardHeader
            title="Latest sales"
            actions={
              <Link href="/dashboard/sales" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
                View all
              </Link>
            }
          />
          {sales.isLoading ? (
            <TableSkeleton rows={5} columns={2} />
          ) : sales.isError ? (
            <ErrorState message={errorMessage(sales.error)} onRetry={() => sales.refetch()} />
          ) : !data?.sales.length ? (
            <EmptyState icon={<ReceiptIcon size={18} />} title="No sales yet" description="Share a link: payments appear here as they settle." />
          ) : (
            <SalesList sales={data.sales} />
          )}
        </Card>
      </div>
    </>
  );
}

function Stat({ label, value, unit, href, testId }: { label: string; value?: string; unit?: string; href?: string; testId?: string }) {
  const body = (
    <>
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      {value === undefined ? (
        <Skeleton className="mt-2 h-7 w-24" />
      ) : (
        <p className="mt-1 truncate text-2xl font-semibold tabular-nums" data-testid={testId}>
          {value}
          {unit && <span className="ml-1 text-sm font-normal text-zinc-500">{unit}</span>}
        </p>
      )}
    </>
  );
  const cls = "block rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900";
  return href ? (
    <Link href={href} className={cn(cls, "transition-colors hover:border-zinc-300 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:border-zinc-700")}>
      {body}
    </Link>
  ) : (
    <div className={cls}>{body}</div>
  );
}
