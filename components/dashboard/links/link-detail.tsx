"use client";

import Link from "next/link";
import { useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { ArrowLeftIcon, BanIcon, ExternalIcon, QrIcon, ReceiptIcon } from "@/components/ui/icons";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { ApiError, errorMessage } from "@/components/dashboard/api";
import { useNetworkName } from "@/components/dashboard/context";
import { formatBytes, formatDateTime, formatDuration, formatMoney, formatTimeAgo, formatTimeLeft, shortAddress, shortId } from "@/lib/format";
import { LinkUrlField, RevokeDialog, ShareDialog } from "@/components/dashboard/links/share";
import { SaleReceipt } from "@/components/dashboard/links/sale-receipt";
import { canRevoke, LinkStatusBadge } from "@/components/dashboard/links/status";
import { useLink } from "@/components/dashboard/queries";
import { PageHeader } from "@/components/dashboard/shell";
import type { LinkDetail } from "@/components/dashboard/types";

const back = (
  <Link href="/dashboard/links" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
    <ArrowLeftIcon /> Links
  </Link>
);

/** One link: its terms, its sales, and the exact x402 challenge agents receive. */
export function LinkDetailPage({ id }: { id: string }) {
  const link = useLink(id);
  const [sharing, setSharing] = useState(false);
  const [revoking, setRevoking] = useState(false);

  if (link.isLoading) {
    return (
      <div role="status" aria-label="Loading">
        {back}
        <Skeleton className="h-8 w-64" />
        <Skeleton className="mt-3 h-4 w-40" />
        <div className="mt-8 grid gap-4 sm:grid-cols-4">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} className="h-20" />
          ))}
        </div>
        <Skeleton className="mt-6 h-64" />
      </div>
    );
  }
  if (link.isError) {
    return (
      <>
        <PageHeader title="Link" back={back} />
        <Card>
          {link.error instanceof ApiError && link.error.status === 404 ? (
            <EmptyState title="Link not found" description="It does not exist, or it belongs to another account." />
          ) : (
            <ErrorState message={errorMessage(link.error)} onRetry={() => link.refetch()} />
          )}
        </Card>
      </>
    );
  }
  const l = link.data!;
  const name = l.title ?? l.object.name;
  return (
    <>
      <PageHeader
        back={back}
        title={<span className="break-words">{name}</span>}
        description={<LinkStatusBadge link={l} />}
        actions={
          <>
            {l.status !== "revoked" && (
              <Button onClick={() => setSharing(true)}>
                <QrIcon /> QR code
              </Button>
            )}
            <a href={l.payUrl} target="_blank" rel="noreferrer" className={buttonClass("secondary")}>
              <ExternalIcon /> Pay page
            </a>
            {canRevoke(l.status) && (
              <Button variant="outline-danger" onClick={() => setRevoking(true)}>
                <BanIcon /> Revoke
              </Button>
            )}
          </>
        }
      />
      <div className="mb-6">
        <LinkUrlField url={l.url} />
      </div>
      <div className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Revenue" value={`${formatMoney(l.sales?.revenue ?? "0")}`} unit="USDC" />
        <Stat label="Sales" value={String(l.sales?.count ?? 0)} />
        <Stat label="Price" value={formatMoney(l.amount)} unit="USDC" />
        <Stat
          label={l.status === "expired" ? "Expired" : "Expires"}
          value={new Date(l.expiresAt).getTime() > Date.now() ? formatTimeLeft(l.expiresAt) : formatTimeAgo(l.expiresAt)}
          title={formatDateTime(l.expiresAt)}
        />
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-6">
          <SalesCard link={l} />
          <X402Card link={l} />
        </div>
        <Settings link={l} />
      </div>
      <ShareDialog link={sharing ? l : null} onClose={() => setSharing(false)} />
      <RevokeDialog link={revoking ? l : null} onClose={() => setRevoking(false)} />
    </>
  );
}

function Stat({ label, value, unit, title }: { label: string; value: string; unit?: string; title?: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900" title={title}>
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className="mt-1 text-xl font-semibold break-words tabular-nums">
        {value}
        {unit && <span className="ml-1 text-sm font-normal text-zinc-500">{unit}</span>}
      </p>
    </div>
  );
}

function Settings({ link: l }: { link: LinkDetail }) {
  const networkName = useNetworkName();
  const rows: [string, React.ReactNode][] = [
    [
      "File",
      l.object.deleted ? (
        <span className="text-zinc-500">{l.object.name} (deleted)</span>
      ) : (
        <span className="break-all">
          {l.object.name} <span className="text-zinc-500">· {formatBytes(l.object.size)}</span>
        </span>
      ),
    ],
    [
      "DataItem id",
      <span key="d" className="inline-flex items-center gap-1">
        <code className="font-mono text-xs">{shortId(l.object.dataItemId, 8, 6)}</code>
        <CopyButton value={l.object.dataItemId} label="Copy DataItem id" />
      </span>,
    ],
    ["Price", `${formatMoney(l.amount)} USDC (${l.amount} atomic units)`],
    ["Network", `${networkName(l.network)} · ${l.network}`],
    [
      "Payee",
      <span key="p" className="inline-flex items-center gap-1">
        <code className="font-mono text-xs" title={l.payTo}>
          {shortAddress(l.payTo)}
        </code>
        <CopyButton value={l.payTo} label="Copy payee address" />
      </span>,
    ],
    ["Expires", formatDateTime(l.expiresAt)],
    ["Purchases", l.maxPurchases === null ? `${l.purchaseCount} (no limit)` : `${l.purchaseCount} of ${l.maxPurchases}`],
    ["Access after purchase", formatDuration(l.accessSeconds)],
    ["Created", formatDateTime(l.createdAt)],
    ...(l.revokedAt ? ([["Revoked", formatDateTime(l.revokedAt)]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <Card className="self-start">
      <CardHeader title="Settings" />
      <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
        {rows.map(([k, v]) => (
          <div key={k} className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:px-5">
            <dt className="flex-none text-zinc-500">{k}</dt>
            <dd className="min-w-0 text-right">{v}</dd>
          </div>
        ))}
        {l.description && (
          <div className="px-4 py-2.5 sm:px-5">
            <dt className="text-zinc-500">Description</dt>
            <dd className="mt-1 whitespace-pre-line">{l.description}</dd>
          </div>
        )}
      </dl>
    </Card>
  );
}

function SalesCard({ link: l }: { link: LinkDetail }) {
  return (
    <Card>
      <CardHeader
        title="Sales"
        description={l.salesList.length ? `Settled payments${l.salesList.length === 100 ? " (latest 100)" : ""}` : undefined}
        actions={
          l.salesList.length > 0 && (
            <Link href={`/dashboard/sales?linkId=${l.id}`} className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              All sales
            </Link>
          )
        }
      />
      {l.salesList.length === 0 ? (
        <EmptyState icon={<ReceiptIcon size={18} />} title="No sales yet" description="Share the link; each settled payment shows up here." />
      ) : (
        <Table aria-label="Sales of this link">
          <THead>
            <tr>
              <TH>Time</TH>
              <TH>Payer</TH>
              <TH className="text-right">Amount</TH>
              <TH className="hidden sm:table-cell">Transaction</TH>
              <TH className="hidden md:table-cell">Receipt</TH>
            </tr>
          </THead>
          <TBody>
            {l.salesList.map((s) => (
              <TR key={s.id} data-testid="link-sale-row">
                <TD className="whitespace-nowrap">
                  {s.settledAt ? (
                    <time dateTime={s.settledAt} title={formatDateTime(s.settledAt)}>
                      {formatTimeAgo(s.settledAt)}
                    </time>
                  ) : (
                    "—"
                  )}
                </TD>
                <TD className="max-sm:flex-1">
                  <code className="font-mono text-xs" title={s.payer}>
                    {shortAddress(s.payer)}
                  </code>
                </TD>
                <TD className="whitespace-nowrap text-right tabular-nums">{formatMoney(s.amount)} USDC</TD>
                <TD className="hidden sm:table-cell">
                  <TxLink hash={s.transaction} url={s.transactionUrl} />
                </TD>
                <TD className="hidden md:table-cell">
                  <SaleReceipt receipt={s.offerReceipt} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** A transaction hash: an explorer link where the chain has one, else the hash to copy. */
export function TxLink({ hash, url }: { hash: string | null; url: string | null }) {
  if (!hash) return <span className="text-zinc-400">—</span>;
  return (
    <span className="inline-flex items-center gap-1">
      {url ? (
        <a href={url} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 font-mono text-xs text-indigo-600 hover:underline dark:text-indigo-400">
          {shortId(hash, 8, 6)} <ExternalIcon size={12} />
        </a>
      ) : (
        <code className="font-mono text-xs text-zinc-600 dark:text-zinc-400" title={`${hash} (local chain: no explorer)`}>
          {shortId(hash, 8, 6)}
        </code>
      )}
      <CopyButton value={hash} label="Copy transaction hash" />
    </span>
  );
}

function X402Card({ link: l }: { link: LinkDetail }) {
  const [tab, setTab] = useState<"v2" | "v1">("v2");
  const body = tab === "v2" ? l.paymentRequired : l.paymentRequiredV1;
  const text = body ? JSON.stringify(body, null, 2) : null;
  return (
    <Card>
      <CardHeader
        title="What agents see"
        description="The exact x402 challenge of this link, as the gate answers with 402 (its Sign-In-With-X nonce is new each time)."
        actions={
          <div role="tablist" aria-label="x402 version" className="inline-flex rounded-lg border border-zinc-200 p-0.5 dark:border-zinc-700">
            {(["v2", "v1"] as const).map((v) => (
              <button
                key={v}
                role="tab"
                type="button"
                aria-selected={tab === v}
                aria-controls="x402-panel"
                onClick={() => setTab(v)}
                className={cn(
                  "rounded-md px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-500",
                  tab === v ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900" : "text-zinc-600 dark:text-zinc-400",
                )}
              >
                {v === "v2" ? "v2 · PAYMENT-REQUIRED" : "v1 · 402 body"}
              </button>
            ))}
          </div>
        }
      />
      <div id="x402-panel" role="tabpanel" className="space-y-3 p-4 sm:p-5">
        <div className="flex items-center gap-2 rounded-lg bg-zinc-50 px-3 py-2 font-mono text-xs dark:bg-zinc-950">
          <span className="flex-1 truncate">curl -i {l.url}</span>
          <CopyButton value={`curl -i ${l.url}`} label="Copy curl command" />
        </div>
        {text ? (
          <div className="relative">
            <pre
              tabIndex={0}
              aria-label={`x402 ${tab} challenge (JSON)`}
              className="max-h-96 overflow-auto rounded-lg bg-zinc-950 p-4 font-mono text-xs leading-relaxed text-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:ring-1 dark:ring-zinc-800"
              data-testid="x402-json"
            >
              {text}
            </pre>
            <div className="absolute right-2 top-2">
              <CopyButton value={text} label="Copy JSON" className="text-zinc-400 hover:bg-zinc-800 hover:text-white" />
            </div>
          </div>
        ) : (
          <p className="text-sm text-zinc-500">This link’s network is not configured on this server right now, so the gate answers 503.</p>
        )}
        <p className="text-xs text-zinc-500">
          {tab === "v2"
            ? "Sent base64-encoded in the PAYMENT-REQUIRED header; clients answer with PAYMENT-SIGNATURE."
            : "Sent as the JSON body of the 402; v1 clients answer with X-PAYMENT."}
        </p>
      </div>
    </Card>
  );
}
