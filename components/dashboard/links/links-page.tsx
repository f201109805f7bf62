"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button, ButtonLink, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { BanIcon, ExternalIcon, LinkIcon, PlusIcon, QrIcon } from "@/components/ui/icons";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { errorMessage } from "@/components/dashboard/api";
import { useNetworkName } from "@/components/dashboard/context";
import { formatMoney, shortAddress } from "@/lib/format";
import { RevokeDialog, ShareDialog } from "@/components/dashboard/links/share";
import { canRevoke, LinkStatusBadge, STATUS_LABEL } from "@/components/dashboard/links/status";
import { Pager, useCursorPages } from "@/components/dashboard/pager";
import { useLinks } from "@/components/dashboard/queries";
import { PageHeader } from "@/components/dashboard/shell";
import type { LinkItem, LinkStatus } from "@/components/dashboard/types";

const FILTERS: (LinkStatus | "all")[] = ["all", "active", "expired", "sold_out", "revoked", "object_gone"];

/** Links: filter by status (kept in the URL), share (copy, QR, pay page), revoke. */
export function LinksPage() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const raw = params.get("status");
  const status = FILTERS.includes(raw as LinkStatus) && raw !== "all" ? (raw as LinkStatus) : undefined;
  const pages = useCursorPages();
  const links = useLinks({ status, cursor: pages.cursor });
  const networkName = useNetworkName();
  const [sharing, setSharing] = useState<LinkItem | null>(null);
  const [revoking, setRevoking] = useState<LinkItem | null>(null);

  const setStatus = (s: LinkStatus | "all") => {
    pages.reset();
    router.replace(s === "all" ? pathname : `${pathname}?status=${s}`, { scroll: false });
  };

  const list = links.data?.links ?? [];
  return (
    <>
      <PageHeader
        title="Links"
        description="Shareable x402 payment links. People pay on the pay page; agents pay the same URL from code."
        actions={
          <ButtonLink href="/dashboard/links/new" variant="primary">
            <PlusIcon /> New link
          </ButtonLink>
        }
      />
      <div className="mb-4" role="group" aria-label="Filter by status">
        <div className="inline-flex flex-wrap gap-1 rounded-lg border border-zinc-200 bg-white p-1 dark:border-zinc-800 dark:bg-zinc-900">
          {FILTERS.map((f) => {
            const active = (status ?? "all") === f;
            return (
              <button
                key={f}
                type="button"
                aria-pressed={active}
                onClick={() => setStatus(f)}
                className={cn(
                  "whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
                  active
                    ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900"
                    : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800",
                )}
              >
                {f === "all" ? "All" : STATUS_LABEL[f]}
              </button>
            );
          })}
        </div>
      </div>
      <Card>
        {links.isLoading ? (
          <TableSkeleton columns={7} />
        ) : links.isError ? (
          <ErrorState message={errorMessage(links.error)} onRetry={() => links.refetch()} />
        ) : list.length === 0 ? (
          status ? (
            <EmptyState icon={<LinkIcon size={18} />} title={`No ${STATUS_LABEL[status].toLowerCase()} links`} description="Try another filter." />
          ) : (
            <EmptyState
              icon={<LinkIcon size={18} />}
              title="No links yet"
              description="Create a link for one of your objects: set a price in USDC and an expiry, then share it anywhere."
              action={
                <ButtonLink href="/dashboard/links/new" variant="primary" size="sm">
                  <PlusIcon /> New link
                </ButtonLink>
              }
            />
          )
        ) : (
          <>
            <Table aria-label="Payment links">
              <THead>
                <tr>
                  <TH>Link</TH>
                  <TH className="hidden sm:table-cell">Price</TH>
                  <TH className="hidden xl:table-cell">Payee</TH>
                  <TH className="hidden sm:table-cell">Status</TH>
                  <TH className="hidden md:table-cell text-right">Sales</TH>
                  <TH className="hidden md:table-cell text-right">Revenue</TH>
                  <TH className="text-right">
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {list.map((l) => (
                  <TR key={l.id} data-testid="link-row" data-link-id={l.id}>
                    <TD className="flex-1 basis-40 sm:w-auto sm:max-w-64">
                      <Link
                        href={`/dashboard/links/${l.id}`}
                        className="block truncate font-medium text-zinc-900 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-zinc-100"
                      >
                        {l.title ?? l.object.name}
                      </Link>
                      <p className="truncate text-xs text-zinc-500">
                        {l.title ? l.object.name : `/l/${l.slug.slice(0, 10)}…`}
                      </p>
                      <div className="mt-1 flex flex-wrap items-center gap-2 sm:hidden">
                        <span className="text-xs font-medium tabular-nums">{formatMoney(l.amount)} USDC</span>
                        <LinkStatusBadge link={l} />
                      </div>
                    </TD>
                    <TD className="hidden whitespace-nowrap sm:table-cell">
                      <span className="tabular-nums">
                        {formatMoney(l.amount)} <span className="text-zinc-500">USDC</span>
                      </span>
                      <span className="block text-xs text-zinc-500">{networkName(l.network)}</span>
                    </TD>
                    <TD className="hidden whitespace-nowrap xl:table-cell">
                      <code className="font-mono text-xs text-zinc-600 dark:text-zinc-400" title={l.payTo}>
                        {shortAddress(l.payTo)}
                      </code>
                    </TD>
                    <TD className="hidden sm:table-cell">
                      <LinkStatusBadge link={l} />
                    </TD>
                    <TD className="hidden text-right tabular-nums md:table-cell" data-testid="link-sales-count">
                      {l.sales?.count ?? 0}
                    </TD>
                    <TD className="hidden whitespace-nowrap text-right tabular-nums md:table-cell">{formatMoney(l.sales?.revenue ?? "0")}</TD>
                    <TD>
                      <div className="flex items-center justify-end gap-0.5">
                        {l.status !== "revoked" && (
                          <>
                            <CopyButton value={l.url} label={`Copy URL of ${l.title ?? l.object.name}`} />
                            <Button variant="ghost" size="icon-sm" aria-label={`QR code of ${l.title ?? l.object.name}`} title="QR code" onClick={() => setSharing(l)}>
                              <QrIcon />
                            </Button>
                            <a
                              href={l.payUrl}
                              target="_blank"
                              rel="noreferrer"
                              className={buttonClass("ghost", "icon-sm")}
                              aria-label={`Open pay page of ${l.title ?? l.object.name}`}
                              title="Open pay page"
                            >
                              <ExternalIcon />
                            </a>
                          </>
                        )}
                        {canRevoke(l.status) ? (
                          <Button
                            variant="ghost"
                            size="icon-sm"
                            aria-label={`Revoke ${l.title ?? l.object.name}`}
                            title="Revoke"
                            onClick={() => setRevoking(l)}
                            className="hover:text-red-600 dark:hover:text-red-400"
                          >
                            <BanIcon />
                          </Button>
                        ) : (
                          <span className="inline-block w-8" aria-hidden="true" />
                        )}
                      </div>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <Pager
              page={pages.page}
              hasNext={Boolean(links.data?.nextCursor)}
              onPrev={pages.prev}
              onNext={() => links.data?.nextCursor && pages.next(links.data.nextCursor)}
              busy={links.isFetching}
            />
          </>
        )}
      </Card>
      <ShareDialog link={sharing} onClose={() => setSharing(null)} />
      <RevokeDialog link={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
