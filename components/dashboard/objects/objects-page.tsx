"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button, ButtonLink, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { DownloadIcon, FileIcon, LinkIcon, SearchIcon, TrashIcon, XIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/components/dashboard/api";
import { formatBytes, formatDateTime, formatTimeAgo, shortId } from "@/lib/format";
import { Uploader } from "@/components/dashboard/objects/uploader";
import { Pager, useCursorPages } from "@/components/dashboard/pager";
import { keys, useLinks, useObjects } from "@/components/dashboard/queries";
import { PageHeader } from "@/components/dashboard/shell";
import type { ObjectItem } from "@/components/dashboard/types";

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** A short, readable kind for a MIME type ("PDF", "PNG", "ZIP"…). */
function kindOf(contentType: string): string {
  const sub = contentType.split(";")[0]!.split("/")[1] ?? contentType;
  const known: Record<string, string> = {
    "vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "octet-stream": "Binary",
    "x-zip-compressed": "ZIP",
    plain: "Text",
  };
  return known[sub] ?? (sub.length <= 6 ? sub.toUpperCase() : sub);
}

/** Objects: upload (drag-and-drop, progress, cancel), search, pages, row actions. */
export function ObjectsPage({ maxUploadBytes }: { maxUploadBytes: number }) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 250);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [q, reset]);
  const objects = useObjects({ q: q || undefined, cursor: pages.cursor });
  const [deleting, setDeleting] = useState<ObjectItem | null>(null);

  const list = objects.data?.objects ?? [];
  return (
    <>
      <PageHeader
        title="Objects"
        description="Your stored files. Each one can be sold through any number of payment links."
      />
      <Uploader maxBytes={maxUploadBytes} />

      <Card className="mt-6">
        <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-4 py-3 sm:px-5 dark:border-zinc-800">
          <div className="relative w-full sm:max-w-xs">
            <SearchIcon className="pointer-events-none absolute left-3 top-1/2 -translate-y-1/2 text-zinc-400" />
            <Input
              type="search"
              value={search}
              onChange={(e) => setSearch(e.target.value)}
              placeholder="Search by name or DataItem id"
              aria-label="Search objects"
              className="pl-9"
            />
          </div>
          {objects.isFetching && !objects.isLoading && <span className="text-xs text-zinc-500" role="status">Updating…</span>}
        </div>
        {objects.isLoading ? (
          <TableSkeleton columns={6} />
        ) : objects.isError ? (
          <ErrorState message={errorMessage(objects.error)} onRetry={() => objects.refetch()} />
        ) : list.length === 0 ? (
          q ? (
            <EmptyState
              icon={<SearchIcon size={18} />}
              title={`No objects match “${q}”`}
              description="Search looks at file names and the start of DataItem ids."
              action={
                <Button size="sm" onClick={() => setSearch("")}>
                  <XIcon /> Clear search
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={<FileIcon size={18} />}
              title="No objects yet"
              description="Upload a file above — a PDF, a dataset, a video — then create a payment link for it."
            />
          )
        ) : (
          <>
            <Table aria-label="Objects">
              <THead>
                <tr>
                  <TH>Name</TH>
                  <TH className="hidden md:table-cell">DataItem id</TH>
                  <TH className="hidden sm:table-cell">Size</TH>
                  <TH className="hidden lg:table-cell">Type</TH>
                  <TH className="hidden sm:table-cell">Created</TH>
                  <TH className="text-right">
                    <span className="sr-only">Actions</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {list.map((o) => (
                  <TR key={o.id} data-testid="object-row">
                    <TD className="flex-1 basis-40 sm:w-auto sm:max-w-xs">
                      <div className="flex items-center gap-3">
                        <span className="hidden h-8 w-8 flex-none items-center justify-center rounded-lg bg-zinc-100 text-zinc-500 sm:flex dark:bg-zinc-800 dark:text-zinc-400">
                          <FileIcon />
                        </span>
                        <div className="min-w-0">
                          <p className="truncate font-medium text-zinc-900 dark:text-zinc-100" title={o.name}>
                            {o.name}
                          </p>
                          <p className="truncate text-xs text-zinc-500 sm:hidden">
                            {formatBytes(o.size)} · {formatTimeAgo(o.createdAt)}
                          </p>
                        </div>
                      </div>
                    </TD>
                    <TD className="hidden md:table-cell">
                      <span className="inline-flex items-center gap-1">
                        <code className="font-mono text-xs text-zinc-600 dark:text-zinc-400" title={o.dataItemId}>
                          {shortId(o.dataItemId, 8, 6)}
                        </code>
                        <CopyButton value={o.dataItemId} label={`Copy DataItem id of ${o.name}`} />
                      </span>
                    </TD>
                    <TD className="hidden whitespace-nowrap tabular-nums sm:table-cell">{formatBytes(o.size)}</TD>
                    <TD className="hidden lg:table-cell">
                      <span className="text-zinc-600 dark:text-zinc-400" title={o.contentType}>
                        {kindOf(o.contentType)}
                      </span>
                    </TD>
                    <TD className="hidden whitespace-nowrap text-zinc-600 sm:table-cell dark:text-zinc-400">
                      <time dateTime={o.createdAt} title={formatDateTime(o.createdAt)}>
                        {formatTimeAgo(o.createdAt)}
                      </time>
                    </TD>
                    <TD>
                      <div className="flex items-center justify-end gap-0.5">
                        <ButtonLink
                          href={`/dashboard/links/new?objectId=${encodeURIComponent(o.id)}`}
                          size="sm"
                          variant="ghost"
                          aria-label={`Create link for ${o.name}`}
                        >
                          <LinkIcon />
                          <span className="hidden xl:inline">Create link</span>
                        </ButtonLink>
                        <a
                          href={`/api/objects/${encodeURIComponent(o.id)}/content`}
                          download={o.name}
                          className={buttonClass("ghost", "icon-sm")}
                          aria-label={`Download ${o.name}`}
                          title="Download"
                        >
                          <DownloadIcon />
                        </a>
                        <CopyButton value={o.id} label={`Copy object id of ${o.name}`} />
                        <Button
                          variant="ghost"
                          size="icon-sm"
                          aria-label={`Delete ${o.name}`}
                          title="Delete"
                          onClick={() => setDeleting(o)}
                          className="hover:text-red-600 dark:hover:text-red-400"
                        >
                          <TrashIcon />
                        </Button>
                      </div>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <Pager
              page={pages.page}
              hasNext={Boolean(objects.data?.nextCursor)}
              onPrev={pages.prev}
              onNext={() => objects.data?.nextCursor && pages.next(objects.data.nextCursor)}
              busy={objects.isFetching}
            />
          </>
        )}
      </Card>
      <DeleteObjectDialog object={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

/** Confirms a deletion, saying how many live links it will take down. */
function DeleteObjectDialog({ object, onClose }: { object: ObjectItem | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const activeLinks = useLinks({ objectId: object?.id, status: "active", limit: 100 }, Boolean(object));
  const remove = useMutation({
    mutationFn: (o: ObjectItem) => api<{ id: string }>(`/api/objects/${encodeURIComponent(o.id)}`, { method: "DELETE" }),
    onSuccess: (_r, o) => {
      toast.success("Object deleted", `${o.name} is gone; its links now show as unavailable.`);
      void queryClient.invalidateQueries({ queryKey: keys.objects });
      void queryClient.invalidateQueries({ queryKey: keys.links });
    },
    onError: (error) => toast.error("Could not delete", errorMessage(error)),
  });
  const count = activeLinks.data?.links.length;
  return (
    <ConfirmDialog
      open={Boolean(object)}
      onClose={onClose}
      title={`Delete “${object?.name ?? ""}”?`}
      confirmLabel="Delete object"
      onConfirm={async () => { if (object) await remove.mutateAsync(object); }}
      description={
        <>
          The file is removed from storage.{" "}
          {activeLinks.isLoading || activeLinks.isPlaceholderData
            ? "Checking its links…"
            : count
              ? `Its ${count === 100 ? "100+" : count} active link${count === 1 ? "" : "s"} will stop selling and show as unavailable.`
              : "It has no active links."}{" "}
          Past sales stay in your records. This can’t be undone.
        </>
      }
    />
  );
}
