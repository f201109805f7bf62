"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { ChevronRightIcon, PlusIcon } from "@/components/ui/icons";
import { TableSkeleton } from "@/components/ui/skeleton";
import { api, errorMessage } from "@/components/dashboard/api";
import { EndpointFormDialog } from "@/components/dashboard/webhooks/endpoint-form";
import { useEndpoints, webhookKeys, type EndpointWithSecret } from "@/components/dashboard/webhooks/queries";
import { SecretDialog } from "@/components/dashboard/webhooks/secret-dialog";

const EMPTY = { url: "", description: "", eventTypes: [] as string[] };

/** Settings → Webhooks: the creator's endpoints, their delivery health, and "Add endpoint". */
export function WebhooksSection() {
  const list = useEndpoints();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <Card aria-labelledby="webhooks-title">
      <CardHeader
        titleId="webhooks-title"
        title="Webhooks"
        description="Tell your other systems about sales, refunds, sell-outs and expiries, as signed HTTP requests."
        actions={
          <Button size="sm" variant="primary" onClick={() => setAdding(true)}>
            <PlusIcon /> Add endpoint
          </Button>
        }
      />
      {list.isLoading ? (
        <TableSkeleton rows={2} columns={3} />
      ) : list.isError ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => list.refetch()} />
      ) : !list.data?.endpoints.length ? (
        <EmptyState
          title="No webhook endpoints"
          description="Add a URL and Vend sends it an event each time a sale settles, is refunded, or a link sells out or expires."
        />
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Webhook endpoints">
          {list.data.endpoints.map((e) => (
            <li key={e.id} data-testid="webhook-endpoint-row">
              <Link
                href={`/dashboard/settings/webhooks/${e.id}`}
                className="flex items-center gap-3 px-4 py-3 hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-indigo-500 sm:px-5 dark:hover:bg-zinc-800/40"
              >
                <div className="min-w-0 flex-1">
                  <p className="truncate font-mono text-sm">{e.url}</p>
                  <p className="mt-0.5 truncate text-xs text-zinc-500">
                    {e.description ? `${e.description} · ` : ""}
                    {e.eventTypes.length ? e.eventTypes.join(", ") : "All events"}
                  </p>
                </div>
                <div className="flex flex-none items-center gap-2">
                  {e.disabled ? (
                    <Badge tone="zinc">Disabled</Badge>
                  ) : e.deliveries.failed > 0 ? (
                    <Badge tone="red">{e.deliveries.failed} failed</Badge>
                  ) : e.deliveries.pending > 0 ? (
                    <Badge tone="amber">{e.deliveries.pending} pending</Badge>
                  ) : (
                    <Badge tone="green">Enabled</Badge>
                  )}
                  <ChevronRightIcon className="text-zinc-400" />
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      <EndpointFormDialog
        open={adding}
        title="Add a webhook endpoint"
        submitLabel="Add endpoint"
        initial={EMPTY}
        eventTypes={list.data?.eventTypes ?? []}
        onClose={() => setAdding(false)}
        onSubmit={async (values) => {
          const created = await api<EndpointWithSecret>("/api/webhooks", { method: "POST", json: values });
          setSecret(created.secret);
          await queryClient.invalidateQueries({ queryKey: webhookKeys.all });
        }}
      />
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
