"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Fragment, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { ArrowLeftIcon, ChevronRightIcon, TrashIcon } from "@/components/ui/icons";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/components/dashboard/api";
import { Pager, useCursorPages } from "@/components/dashboard/pager";
import { PageHeader } from "@/components/dashboard/shell";
import { EndpointFormDialog } from "@/components/dashboard/webhooks/endpoint-form";
import {
  useDeliveries,
  useEndpoint,
  useEndpoints,
  webhookKeys,
  type DeliveryItem,
  type DeliveryStatus,
  type EndpointDetailItem,
  type EndpointWithSecret,
} from "@/components/dashboard/webhooks/queries";
import { SecretDialog } from "@/components/dashboard/webhooks/secret-dialog";
import { formatDateTime, formatTimeAgo, formatTimeLeft, shortId } from "@/lib/format";

const back = (
  <Link href="/dashboard/settings" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
    <ArrowLeftIcon /> Settings
  </Link>
);

/** One webhook endpoint: its settings and secret, "send a test event", and the delivery log. */
export function EndpointPage({ id }: { id: string }) {
  const endpoint = useEndpoint(id);
  if (endpoint.isLoading) {
    return (
      <div role="status" aria-label="Loading">
        {back}
        <Skeleton className="h-8 w-80" />
        <Skeleton className="mt-8 h-40" />
        <Skeleton className="mt-6 h-64" />
      </div>
    );
  }
  if (endpoint.isError || !endpoint.data) {
    return (
      <>
        <PageHeader title="Webhook endpoint" back={back} />
        <Card>
          {endpoint.error instanceof ApiError && endpoint.error.status === 404 ? (
            <EmptyState title="Endpoint not found" description="It was deleted, or it belongs to another account." />
          ) : (
            <ErrorState message={errorMessage(endpoint.error)} onRetry={() => endpoint.refetch()} />
          )}
        </Card>
      </>
    );
  }
  return <Loaded endpoint={endpoint.data} />;
}

function Loaded({ endpoint: e }: { endpoint: EndpointDetailItem }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const eventTypes = useEndpoints().data?.eventTypes ?? [];
  const [editing, setEditing] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const path = `/api/webhooks/${encodeURIComponent(e.id)}`;
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all });

  const test = useMutation({
    mutationFn: () => api<DeliveryItem>(`${path}/test`, { method: "POST" }),
    onSuccess: () => {
      toast.success("Test event queued", "It is sent within a few seconds; watch the log below.");
      void refresh();
    },
    onError: (error) => toast.error("Could not send a test event", errorMessage(error)),
  });
  const toggle = useMutation({
    mutationFn: () => api(path, { method: "PATCH", json: { disabled: !e.disabled } }),
    onSuccess: () => {
      toast.success(e.disabled ? "Endpoint enabled" : "Endpoint disabled", e.disabled ? "Pending events are sent again." : "New events are not sent; pending ones wait.");
      void refresh();
    },
    onError: (error) => toast.error("Could not change the endpoint", errorMessage(error)),
  });

  return (
    <>
      <PageHeader
        back={back}
        title={<span className="break-all font-mono text-xl">{e.url}</span>}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {e.disabled ? <Badge tone="zinc">Disabled</Badge> : <Badge tone="green">Enabled</Badge>}
            {e.description}
          </span>
        }
        actions={
          <>
            <Button onClick={() => test.mutate()} loading={test.isPending} disabled={e.disabled}>
              Send test event
            </Button>
            <Button onClick={() => setEditing(true)}>Edit</Button>
            <Button onClick={() => toggle.mutate()} loading={toggle.isPending}>
              {e.disabled ? "Enable" : "Disable"}
            </Button>
            <Button variant="outline-danger" onClick={() => setDeleting(true)} aria-label="Delete endpoint">
              <TrashIcon /> Delete
            </Button>
          </>
        }
      />
      <div className="mb-6 grid grid-cols-3 gap-3">
        <Stat label="Delivered" value={e.deliveries.succeeded} />
        <Stat label="Pending" value={e.deliveries.pending} />
        <Stat label="Failed" value={e.deliveries.failed} tone={e.deliveries.failed ? "text-red-600 dark:text-red-400" : undefined} />
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <DeliveryLog endpointId={e.id} />
        <Card className="self-start">
          <CardHeader title="Endpoint" />
          <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
            <Row label="Events">{e.eventTypes.length ? e.eventTypes.map((t) => <code key={t} className="block font-mono text-xs">{t}</code>) : "All events"}</Row>
            <Row label="Signing secret">
              <code className="font-mono text-xs">{e.secretHint}</code>
            </Row>
            {e.previousSecretExpiresAt && (
              <Row label="Previous secret">
                <span title={formatDateTime(e.previousSecretExpiresAt)}>signs for {formatTimeLeft(e.previousSecretExpiresAt).replace(/ left$/, "")} more</span>
              </Row>
            )}
            <Row label="Created">{formatDateTime(e.createdAt)}</Row>
          </dl>
          <div className="border-t border-zinc-200 p-4 sm:px-5 dark:border-zinc-800">
            <Button size="sm" className="w-full" onClick={() => setRotating(true)}>
              Rotate secret
            </Button>
            <p className="mt-2 text-xs text-zinc-500">
              Deliveries carry <code className="font-mono">webhook-id</code>, <code className="font-mono">webhook-timestamp</code> and{" "}
              <code className="font-mono">webhook-signature</code> (Standard Webhooks). Retries keep the same id.
            </p>
          </div>
        </Card>
      </div>
      <EndpointFormDialog
        open={editing}
        title="Edit endpoint"
        submitLabel="Save"
        initial={{ url: e.url, description: e.description ?? "", eventTypes: e.eventTypes }}
        eventTypes={eventTypes}
        onClose={() => setEditing(false)}
        onSubmit={async (values) => {
          await api(path, { method: "PATCH", json: values });
          toast.success("Endpoint saved");
          await refresh();
        }}
      />
      <ConfirmDialog
        open={rotating}
        onClose={() => setRotating(false)}
        tone="primary"
        title="Rotate the signing secret?"
        description="You get a new secret. For 24 hours deliveries are signed with both, so your receiver keeps working while you switch."
        confirmLabel="Rotate secret"
        onConfirm={async () => {
          try {
            const rotated = await api<EndpointWithSecret>(`${path}/secret`, { method: "POST" });
            setSecret(rotated.secret);
            await refresh();
          } catch (error) {
            toast.error("Could not rotate the secret", errorMessage(error));
            throw error;
          }
        }}
      />
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title="Delete this endpoint?"
        description="Its pending deliveries are dropped and its log is deleted. This can’t be undone."
        confirmLabel="Delete endpoint"
        onConfirm={async () => {
          try {
            await api(path, { method: "DELETE" });
            toast.success("Endpoint deleted");
            await refresh();
            router.push("/dashboard/settings");
          } catch (error) {
            toast.error("Could not delete the endpoint", errorMessage(error));
            throw error;
          }
        }}
      />
      <SecretDialog secret={secret} rotated onClose={() => setSecret(null)} />
    </>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs font-medium text-zinc-500">{label}</p>
      <p className={cn("mt-1 text-xl font-semibold tabular-nums", tone)}>{value}</p>
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:px-5">
      <dt className="flex-none text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-right">{children}</dd>
    </div>
  );
}

const STATUS: Record<DeliveryStatus, { tone: BadgeTone; label: string }> = {
  pending: { tone: "amber", label: "Pending" },
  succeeded: { tone: "green", label: "Delivered" },
  failed: { tone: "red", label: "Failed" },
};

const FILTERS: { value: DeliveryStatus | undefined; label: string }[] = [
  { value: undefined, label: "All" },
  { value: "pending", label: "Pending" },
  { value: "succeeded", label: "Delivered" },
  { value: "failed", label: "Failed" },
];

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const pages = useCursorPages();
  const log = useDeliveries(endpointId, { status, cursor: pages.cursor });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card className="min-w-0">
      <CardHeader
        title="Delivery log"
        description="Every event sent to this endpoint, its attempts and the answers."
        actions={
          <div role="group" aria-label="Filter by status" className="inline-flex rounded-lg border border-zinc-200 p-0.5 dark:border-zinc-700">
            {FILTERS.map((f) => (
              <button
                key={f.label}
                type="button"
                aria-pressed={status === f.value}
                onClick={() => {
                  setStatus(f.value);
                  pages.reset();
                }}
                className={cn(
                  "rounded-md px-2.5 py-1 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-500",
                  status === f.value ? "bg-zinc-900 text-white dark:bg-white dark:text-zinc-900" : "text-zinc-600 dark:text-zinc-400",
                )}
              >
                {f.label}
              </button>
            ))}
          </div>
        }
      />
      {log.isLoading ? (
        <TableSkeleton rows={3} columns={4} />
      ) : log.isError ? (
        <ErrorState message={errorMessage(log.error)} onRetry={() => log.refetch()} />
      ) : !log.data?.deliveries.length ? (
        <EmptyState title={status ? "Nothing here" : "No deliveries yet"} description="Send a test event, or wait for the next sale." />
      ) : (
        <>
          <Table aria-label="Deliveries">
            <THead>
              <tr>
                <TH>
                  <span className="sr-only">Details</span>
                </TH>
                <TH>Event</TH>
                <TH>Status</TH>
                <TH className="hidden sm:table-cell">Attempts</TH>
                <TH className="hidden md:table-cell">Created</TH>
              </tr>
            </THead>
            <TBody>
              {log.data.deliveries.map((d) => (
                <Fragment key={d.id}>
                  <TR data-testid="webhook-delivery-row" data-status={d.status} data-event-type={d.event.type}>
                    <TD className="w-10">
                      <Button
                        variant="ghost"
                        size="icon-sm"
                        aria-expanded={open === d.id}
                        aria-label={`Details of ${d.event.type} ${d.event.id}`}
                        onClick={() => setOpen(open === d.id ? null : d.id)}
                      >
                        <ChevronRightIcon className={cn("transition-transform", open === d.id && "rotate-90")} />
                      </Button>
                    </TD>
                    <TD className="flex-1">
                      <code className="block font-mono text-xs">{d.event.type}</code>
                      <span className="text-xs text-zinc-500" title={d.event.id}>
                        {shortId(d.event.id, 8, 4)}
                      </span>
                    </TD>
                    <TD>
                      <Badge tone={STATUS[d.status].tone}>{STATUS[d.status].label}</Badge>
                      {d.lastStatus !== null || d.lastError ? (
                        <span className="mt-0.5 block text-xs text-zinc-500">{d.lastStatus ?? d.lastError?.split(":")[0]}</span>
                      ) : null}
                    </TD>
                    <TD className="hidden tabular-nums sm:table-cell">
                      {d.attempts}
                      {d.nextAttemptAt && d.attempts > 0 && (
                        <span className="block text-xs text-zinc-500" title={formatDateTime(d.nextAttemptAt)}>
                          retry: {formatTimeLeft(d.nextAttemptAt)}
                        </span>
                      )}
                    </TD>
                    <TD className="hidden whitespace-nowrap text-zinc-600 md:table-cell dark:text-zinc-400">
                      <time dateTime={d.createdAt} title={formatDateTime(d.createdAt)}>
                        {formatTimeAgo(d.createdAt)}
                      </time>
                    </TD>
                  </TR>
                  {open === d.id && (
                    <tr className="block sm:table-row">
                      <td colSpan={5} className="block min-w-0 bg-zinc-50/70 px-4 py-4 sm:table-cell sm:px-5 dark:bg-zinc-950/40">
                        <DeliveryDetail endpointId={endpointId} delivery={d} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </TBody>
          </Table>
          <Pager
            page={pages.page}
            hasNext={Boolean(log.data.nextCursor)}
            onPrev={pages.prev}
            onNext={() => log.data?.nextCursor && pages.next(log.data.nextCursor)}
            busy={log.isFetching}
          />
        </>
      )}
    </Card>
  );
}

function DeliveryDetail({ endpointId, delivery: d }: { endpointId: string; delivery: DeliveryItem }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const redeliver = useMutation({
    mutationFn: () =>
      api<DeliveryItem>(`/api/webhooks/${encodeURIComponent(endpointId)}/deliveries/${encodeURIComponent(d.id)}/redeliver`, { method: "POST" }),
    onSuccess: () => {
      toast.success("Redelivery queued", "Sent again within a few seconds, with the same webhook-id.");
      void queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
    onError: (error) => toast.error("Could not redeliver", errorMessage(error)),
  });
  const payload = JSON.stringify(JSON.parse(d.event.payload), null, 2);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-zinc-500">webhook-id</span>
        <code className="font-mono text-xs">{d.event.id}</code>
        <CopyButton value={d.event.id} label="Copy webhook-id" />
        <Button size="sm" className="ml-auto" onClick={() => redeliver.mutate()} loading={redeliver.isPending}>
          {d.status === "pending" ? "Retry now" : "Redeliver"}
        </Button>
      </div>
      <div>
        <p className="mb-1 text-xs font-medium text-zinc-500">Attempts</p>
        {d.log.length === 0 ? (
          <p className="text-sm text-zinc-500">Not attempted yet.</p>
        ) : (
          <ol className="space-y-1.5" aria-label="Attempts">
            {d.log.map((a) => (
              <li key={a.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 text-xs" data-testid="webhook-attempt">
                <time dateTime={a.startedAt} className="text-zinc-500">
                  {formatDateTime(a.startedAt)}
                </time>
                <span
                  className={cn(
                    "font-mono font-medium",
                    a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300 ? "text-emerald-600 dark:text-emerald-400" : "text-red-600 dark:text-red-400",
                  )}
                >
                  {a.statusCode ?? "no answer"}
                </span>
                <span className="text-zinc-500">{a.durationMs} ms</span>
                {a.error && <span className="break-all text-zinc-600 dark:text-zinc-400">{a.error}</span>}
                {a.responseBody && <code className="block w-full truncate font-mono text-zinc-500">{a.responseBody}</code>}
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className="relative">
        <p className="mb-1 text-xs font-medium text-zinc-500">Payload</p>
        <pre className="max-h-72 overflow-auto whitespace-pre-wrap rounded-lg bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed text-zinc-100 [overflow-wrap:anywhere]">
          {payload}
        </pre>
        <div className="absolute right-1.5 top-6">
          <CopyButton value={d.event.payload} label="Copy payload" className="text-zinc-400 hover:bg-zinc-800 hover:text-white" />
        </div>
      </div>
    </div>
  );
}
