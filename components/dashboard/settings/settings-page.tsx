"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { getAddress, isAddress } from "viem";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState } from "@/components/ui/empty-state";
import { AlertIcon, KeyIcon } from "@/components/ui/icons";
import { Field, Input, Select } from "@/components/ui/input";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { api, ApiError, errorMessage } from "@/components/dashboard/api";
import { useDashboard } from "@/components/dashboard/context";
import { formatDateTime, formatTimeAgo } from "@/lib/format";
import { keys, useApiKeys, useSettings } from "@/components/dashboard/queries";
import { AddressAvatar, PageHeader } from "@/components/dashboard/shell";
import type { ApiKeyItem, CreatedKey, SettingsData } from "@/components/dashboard/types";

/** Settings: link defaults (payee, network), API keys, account. */
export function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Defaults for new links, API keys for agents and scripts." />
      <div className="space-y-6">
        <Defaults />
        <ApiKeys />
        <Account />
      </div>
    </>
  );
}

function Defaults() {
  const { address, networks } = useDashboard();
  const settings = useSettings();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [payTo, setPayTo] = useState("");
  const [network, setNetwork] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!settings.data) return;
    setPayTo(settings.data.defaultPayTo ?? "");
    setNetwork(settings.data.defaultNetwork ?? "");
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => api<SettingsData>("/api/settings", { method: "PATCH", json: { defaultPayTo: payTo.trim() || null, defaultNetwork: network || null } }),
    onSuccess: (data) => {
      queryClient.setQueryData(keys.settings, data);
      setErrors({});
      toast.success("Defaults saved", "New links start from these.");
    },
    onError: (error) => setErrors(error instanceof ApiError && Object.keys(error.fields).length ? error.fields : { form: errorMessage(error) }),
  });
  const dirty = settings.data && ((settings.data.defaultPayTo ?? "") !== payTo.trim() || (settings.data.defaultNetwork ?? "") !== network);
  return (
    <Card>
      <CardHeader title="Link defaults" description="Pre-filled in the new-link form; you can change them per link." />
      {settings.isLoading ? (
        <div className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
          <Skeleton className="h-16" />
          <Skeleton className="h-16" />
        </div>
      ) : settings.isError ? (
        <ErrorState message={errorMessage(settings.error)} onRetry={() => settings.refetch()} />
      ) : (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const v = payTo.trim();
            if (v && !isAddress(v, { strict: false })) {
              setErrors({ defaultPayTo: "Enter a valid EVM address (0x followed by 40 hex characters)." });
              return;
            }
            save.mutate();
          }}
        >
          <div className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
            <Field label="Default payee" optional hint="Empty: your signed-in address receives payments." error={errors.defaultPayTo}>
              {(c) => (
                <Input
                  {...c}
                  value={payTo}
                  placeholder={address}
                  spellCheck={false}
                  autoComplete="off"
                  className="font-mono text-xs sm:text-sm"
                  onChange={(e) => { setPayTo(e.target.value); setErrors((x) => ({ ...x, defaultPayTo: "" })); }}
                  onBlur={() => isAddress(payTo.trim(), { strict: false }) && setPayTo(getAddress(payTo.trim()))}
                />
              )}
            </Field>
            <Field label="Default network" error={errors.defaultNetwork}>
              {(c) => (
                <Select {...c} value={network} onChange={(e) => { setNetwork(e.target.value); setErrors((x) => ({ ...x, defaultNetwork: "" })); }}>
                  <option value="">First available ({networks[0]?.name ?? "none"})</option>
                  {networks.map((n) => (
                    <option key={n.id} value={n.id}>
                      {n.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <div className="flex items-center justify-end gap-3 border-t border-zinc-200 px-4 py-3 sm:px-5 dark:border-zinc-800">
            {errors.form && (
              <p role="alert" className="mr-auto text-sm text-red-600 dark:text-red-400">
                {errors.form}
              </p>
            )}
            <Button type="submit" variant="primary" size="sm" loading={save.isPending} disabled={!dirty}>
              Save defaults
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}

function ApiKeys() {
  const list = useApiKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyItem | null>(null);
  const create = useMutation({
    mutationFn: (n: string) => api<CreatedKey>("/api/keys", { method: "POST", json: { name: n } }),
    onSuccess: (key) => {
      setCreated(key);
      setName("");
      queryClient.setQueryData<{ keys: ApiKeyItem[] }>(keys.apiKeys, (d) =>
        d ? { keys: [{ id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, createdAt: key.createdAt, lastUsedAt: null, revokedAt: null }, ...d.keys] } : d,
      );
      void queryClient.invalidateQueries({ queryKey: keys.apiKeys });
    },
    onError: (error) => setNameError(error instanceof ApiError ? (error.fields.name ?? error.message) : errorMessage(error)),
  });
  const revoke = useMutation({
    mutationFn: (k: ApiKeyItem) => api<{ id: string; revokedAt: string }>(`/api/keys/${encodeURIComponent(k.id)}`, { method: "DELETE" }),
    onSuccess: (r, k) => {
      queryClient.setQueryData<{ keys: ApiKeyItem[] }>(keys.apiKeys, (d) =>
        d ? { keys: d.keys.map((x) => (x.id === r.id ? { ...x, revokedAt: r.revokedAt } : x)) } : d,
      );
      toast.success("API key revoked", `“${k.name}” stops working immediately.`);
    },
    onError: (error) => toast.error("Could not revoke", errorMessage(error)),
  });
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <Card>
      <CardHeader title="API keys" description="For agents and scripts: send as Authorization: Bearer <key>. A key acts as you, except for creating keys." />
      <form
        className="flex flex-col gap-3 border-b border-zinc-200 p-4 sm:flex-row sm:items-start sm:p-5 dark:border-zinc-800"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!name.trim()) {
            setNameError("Give the key a name, like “pricing bot”.");
            return;
          }
          setNameError(null);
          create.mutate(name.trim());
        }}
      >
        <Field label="Key name" error={nameError} className="flex-1 [&>label]:sr-only">
          {(c) => <Input {...c} value={name} maxLength={100} onChange={(e) => { setName(e.target.value); setNameError(null); }} placeholder="Key name, e.g. pricing bot" />}
        </Field>
        <Button type="submit" variant="primary" loading={create.isPending}>
          <KeyIcon /> Create key
        </Button>
      </form>
      {list.isLoading ? (
        <TableSkeleton rows={2} columns={5} />
      ) : list.isError ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => list.refetch()} />
      ) : !list.data?.keys.length ? (
        <EmptyState icon={<KeyIcon size={18} />} title="No API keys" description="Create one to upload files and create links from code." />
      ) : (
        <Table aria-label="API keys">
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Key</TH>
              <TH className="hidden sm:table-cell">Created</TH>
              <TH className="hidden md:table-cell">Last used</TH>
              <TH className="text-right">
                <span className="sr-only">Status and actions</span>
              </TH>
            </tr>
          </THead>
          <TBody>
            {list.data.keys.map((k) => (
              <TR key={k.id} data-testid="api-key-row" data-revoked={k.revokedAt ? "true" : "false"}>
                <TD className="font-medium break-words max-sm:flex-1 max-sm:basis-24">{k.name}</TD>
                <TD>
                  <code className="font-mono text-xs text-zinc-600 dark:text-zinc-400">{k.prefix}…</code>
                </TD>
                <TD className="hidden whitespace-nowrap text-zinc-600 sm:table-cell dark:text-zinc-400">
                  <time dateTime={k.createdAt} title={formatDateTime(k.createdAt)}>
                    {formatTimeAgo(k.createdAt)}
                  </time>
                </TD>
                <TD className="hidden whitespace-nowrap text-zinc-600 md:table-cell dark:text-zinc-400">
                  {k.lastUsedAt ? formatTimeAgo(k.lastUsedAt) : "Never"}
                </TD>
                <TD className="text-right">
                  {k.revokedAt ? (
                    <Badge tone="zinc">Revoked</Badge>
                  ) : (
                    <Button size="sm" variant="outline-danger" onClick={() => setRevoking(k)} aria-label={`Revoke key ${k.name}`}>
                      Revoke
                    </Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <Dialog
        open={Boolean(created)}
        onClose={() => setCreated(null)}
        title="Your new API key"
        description="Copy it now and keep it somewhere safe. For your security it is shown only this once."
        footer={
          <Button variant="primary" onClick={() => setCreated(null)}>
            I’ve copied it
          </Button>
        }
      >
        {created && (
          <div className="space-y-4">
            <div className="flex items-center gap-2 rounded-lg border border-zinc-200 bg-zinc-50 p-2 pl-3 dark:border-zinc-700 dark:bg-zinc-950">
              <code className="flex-1 break-all font-mono text-xs" data-testid="api-key-secret">
                {created.secret}
              </code>
              <CopyButton value={created.secret} label="Copy API key" variant="secondary">
                Copy
              </CopyButton>
            </div>
            <div className="flex gap-2 rounded-lg bg-amber-50 p-3 text-xs text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">
              <AlertIcon className="mt-0.5 flex-none" />
              Anyone with this key can upload and create links as you. Revoke it here if it leaks.
            </div>
            <div>
              <div className="mb-1 flex items-center justify-between gap-2">
                <p className="text-xs font-medium text-zinc-500">Try it</p>
                <CopyButton value={`curl -H "Authorization: Bearer ${created.secret}" ${origin}/api/links`} label="Copy curl command" />
              </div>
              <pre className="rounded-lg bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed break-all whitespace-pre-wrap text-zinc-100" data-testid="api-key-curl">
                {`curl -H "Authorization: Bearer ${created.secret}" \\\n  ${origin}/api/links`}
              </pre>
            </div>
          </div>
        )}
      </Dialog>
      <ConfirmDialog
        open={Boolean(revoking)}
        onClose={() => setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ""}”?`}
        description="Requests with this key fail from now on. Scripts using it need a new key. This can’t be undone."
        confirmLabel="Revoke key"
        onConfirm={async () => {
          if (revoking) await revoke.mutateAsync(revoking);
        }}
      />
    </Card>
  );
}

function Account() {
  const { address } = useDashboard();
  return (
    <Card>
      <CardHeader title="Account" />
      <div className="flex flex-wrap items-center gap-3 p-4 sm:p-5">
        <AddressAvatar address={address} size={36} />
        <div className="min-w-0 flex-1">
          <p className="text-xs text-zinc-500">Signed in with Ethereum as</p>
          <p className="break-all font-mono text-sm">{address}</p>
        </div>
        <CopyButton value={address} label="Copy your address" variant="secondary">
          Copy
        </CopyButton>
      </div>
    </Card>
  );
}
