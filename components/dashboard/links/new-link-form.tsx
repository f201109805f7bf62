"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { getAddress, isAddress, zeroAddress } from "viem";
import { Button, ButtonLink, buttonClass } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { EmptyState } from "@/components/ui/empty-state";
import { AlertIcon, ArrowLeftIcon, CheckIcon, ExternalIcon, FileIcon, PlusIcon, UploadIcon } from "@/components/ui/icons";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { QrCode } from "@/components/ui/qr-code";
import { Skeleton } from "@/components/ui/skeleton";
import { api, ApiError, errorMessage } from "@/components/dashboard/api";
import { useDashboard } from "@/components/dashboard/context";
import { formatBytes, formatDateTime, formatMoney, shortAddress } from "@/lib/format";
import { LinkUrlField } from "@/components/dashboard/links/share";
import { keys, useObjects, useSettings } from "@/components/dashboard/queries";
import { PageHeader } from "@/components/dashboard/shell";
import type { LinkItem, ObjectItem } from "@/components/dashboard/types";
import { parsePrice, PRICE_ERROR_MESSAGES, USDC_DECIMALS } from "@/lib/money";

const EXPIRY_PRESETS = [
  { value: "1h", label: "1 hour", seconds: 3600 },
  { value: "1d", label: "1 day", seconds: 86400 },
  { value: "7d", label: "7 days", seconds: 7 * 86400 },
  { value: "30d", label: "30 days", seconds: 30 * 86400 },
] as const;
type ExpiryChoice = (typeof EXPIRY_PRESETS)[number]["value"] | "custom";

const ACCESS_OPTIONS = [
  { seconds: 3600, label: "1 hour" },
  { seconds: 86400, label: "1 day" },
  { seconds: 7 * 86400, label: "7 days" },
  { seconds: 30 * 86400, label: "30 days" },
  { seconds: 365 * 86400, label: "1 year" },
];

const MAX_EXPIRY_MS = 365 * 86400 * 1000;

const INVALID_ADDRESS = "Enter a valid EVM address (0x followed by 40 hex characters).";
const ZERO_PAYEE = "The payee cannot be the zero address: USDC sent there is lost.";

/** What is wrong with a chosen expiry, if anything. */
function expiryError(expiresAt: Date | null, now: number): string | undefined {
  if (!expiresAt || Number.isNaN(expiresAt.getTime())) return "Pick a date and time.";
  if (expiresAt.getTime() <= now) return "The expiry must be in the future.";
  if (expiresAt.getTime() - now > MAX_EXPIRY_MS) return "The expiry can be at most 365 days away.";
  return undefined;
}

/** `YYYY-MM-DDTHH:mm` in local time, for `<input type="datetime-local">`. */
function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

type Errors = Partial<Record<"objectId" | "payTo" | "price" | "network" | "expiresAt" | "maxPurchases" | "accessSeconds" | "title" | "description" | "form", string>>;

/** Maps the server's `details.fields` keys onto the form's fields. */
function serverErrors(error: ApiError): Errors {
  const out: Errors = {};
  for (const [key, message] of Object.entries(error.fields)) {
    const field = key === "expiresIn" ? "expiresAt" : key;
    if (["objectId", "payTo", "price", "network", "expiresAt", "maxPurchases", "accessSeconds", "title", "description"].includes(field)) {
      out[field as keyof Errors] ??= message;
    } else out.form ??= message;
  }
  if (!Object.keys(out).length) out.form = error.message;
  return out;
}

/** The new-link form: object, payee, USDC price, network, expiry, limits, copy — then the link to share. */
export function NewLinkForm() {
  const params = useSearchParams();
  const { address, networks } = useDashboard();
  const settings = useSettings();
  const objects = useObjects({ limit: 100 });
  const presetObjectId = params.get("objectId") ?? "";
  const preset = useQuery({
    queryKey: [...keys.objects, "one", presetObjectId],
    queryFn: () => api<ObjectItem>(`/api/objects/${encodeURIComponent(presetObjectId)}`),
    enabled: Boolean(presetObjectId) && Boolean(objects.data) && !objects.data?.objects.some((o) => o.id === presetObjectId),
    retry: false,
  });
  const queryClient = useQueryClient();

  const [objectId, setObjectId] = useState(presetObjectId);
  const [payTo, setPayTo] = useState<string>(address);
  const [price, setPrice] = useState("");
  const [network, setNetwork] = useState(networks[0]?.id ?? "");
  const [expiry, setExpiry] = useState<ExpiryChoice>("7d");
  const [customExpiry, setCustomExpiry] = useState(() => toLocalInput(new Date(Date.now() + 7 * 86400 * 1000)));
  const [maxPurchases, setMaxPurchases] = useState("");
  const [accessSeconds, setAccessSeconds] = useState(86400);
  const [listed, setListed] = useState(false);
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<LinkItem | null>(null);
  const touched = useRef({ payTo: false, network: false });
  /** Drops a field's error as soon as the creator edits it. */
  const clear = (field: keyof Errors) => setErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));

  // Start from the creator's saved defaults once they load (unless already edited).
  useEffect(() => {
    if (!settings.data) return;
    if (!touched.current.payTo && settings.data.defaultPayTo) setPayTo(settings.data.defaultPayTo);
    if (!touched.current.network && settings.data.defaultNetwork && networks.some((n) => n.id === settings.data.defaultNetwork)) {
      setNetwork(settings.data.defaultNetwork);
    }
  }, [settings.data, networks]);

  const objectOptions = useMemo(() => {
    const list = objects.data?.objects ?? [];
    return preset.data && !list.some((o) => o.id === preset.data.id) ? [preset.data, ...list] : list;
  }, [objects.data, preset.data]);
  const selectedObject = objectOptions.find((o) => o.id === objectId);
  const selectedNetwork = networks.find((n) => n.id === network);
  const parsedPrice = parsePrice(price);
  const timeZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  const expiresAt =
    expiry === "custom"
      ? customExpiry
        ? new Date(customExpiry)
        : null
      : new Date(now + EXPIRY_PRESETS.find((p) => p.value === expiry)!.seconds * 1000);

  // Mistakes that are certain while typing show at once, next to their field; the rest on blur and submit.
  const live: Errors = {
    price: !parsedPrice.ok && parsedPrice.error === "separator" ? PRICE_ERROR_MESSAGES.separator : undefined,
    payTo: payTo.trim().toLowerCase() === zeroAddress ? ZERO_PAYEE : undefined,
    expiresAt: expiry === "custom" ? expiryError(expiresAt, now) : undefined,
  };
  const shown = (field: keyof Errors) => errors[field] ?? live[field];

  function validate(): Errors {
    const e: Errors = {};
    if (!objectId) e.objectId = "Choose the object to sell.";
    if (!isAddress(payTo.trim(), { strict: false })) e.payTo = INVALID_ADDRESS;
    else if (payTo.trim().toLowerCase() === zeroAddress) e.payTo = ZERO_PAYEE;
    if (!parsedPrice.ok) e.price = PRICE_ERROR_MESSAGES[parsedPrice.error];
    if (!network) e.network = "Choose a network.";
    if (expiry === "custom") e.expiresAt = expiryError(expiresAt, Date.now());
    if (maxPurchases.trim() && !/^[1-9]\d{0,8}$/.test(maxPurchases.trim())) e.maxPurchases = "A whole number, 1 or more.";
    for (const key of Object.keys(e) as (keyof Errors)[]) if (!e[key]) delete e[key];
    return e;
  }

  const create = useMutation({
    mutationFn: () =>
      api<LinkItem>("/api/links", {
        method: "POST",
        json: {
          objectId,
          payTo: payTo.trim(),
          price: price.trim(),
          network,
          ...(expiry === "custom" ? { expiresAt: expiresAt!.toISOString() } : { expiresIn: expiry }),
          ...(maxPurchases.trim() ? { maxPurchases: Number(maxPurchases.trim()) } : {}),
          accessSeconds,
          listed,
          ...(title.trim() ? { title: title.trim() } : {}),
          ...(description.trim() ? { description: description.trim() } : {}),
        },
      }),
    onSuccess: (link) => {
      setCreated(link);
      void queryClient.invalidateQueries({ queryKey: keys.links });
      window.scrollTo({ top: 0 });
    },
    onError: (error) => {
      setErrors(error instanceof ApiError && error.status === 400 ? serverErrors(error) : { form: errorMessage(error) });
    },
  });

  const formRef = useRef<HTMLFormElement>(null);
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
      return;
    }
    create.mutate();
  }

  if (created) return <Created link={created} onAnother={() => { setCreated(null); setTitle(""); setDescription(""); setPrice(""); }} />;

  const back = (
    <Link href="/dashboard/links" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
      <ArrowLeftIcon /> Links
    </Link>
  );

  if (objects.isSuccess && objectOptions.length === 0) {
    return (
      <>
        <PageHeader title="New link" back={back} />
        <Card>
          <EmptyState
            icon={<FileIcon size={18} />}
            title="Upload a file first"
            description="A link sells one of your objects. Upload it, then come back here."
            action={
              <ButtonLink href="/dashboard/objects" variant="primary" size="sm">
                <UploadIcon /> Upload a file
              </ButtonLink>
            }
          />
        </Card>
      </>
    );
  }

  return (
    <>
      <PageHeader title="New link" description="Set the price and terms. You can revoke the link at any time." back={back} />
      <form ref={formRef} onSubmit={submit} noValidate className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="space-y-6">
          {errors.form && (
            <div role="alert" className="flex gap-2 rounded-xl border border-red-200 bg-red-50 p-3 text-sm text-red-700 dark:border-red-900/60 dark:bg-red-950/30 dark:text-red-400">
              <AlertIcon className="mt-0.5 flex-none" /> {errors.form}
            </div>
          )}
          <Card>
            <CardHeader title="What you sell" />
            <div className="space-y-5 p-4 sm:p-5">
              <Field label="Object" error={errors.objectId}>
                {(c) =>
                  objects.isLoading ? (
                    <Skeleton className="h-10 w-full" />
                  ) : (
                    <Select {...c} value={objectId} onChange={(e) => { setObjectId(e.target.value); clear("objectId"); }}>
                      <option value="">Choose a file…</option>
                      {objectOptions.map((o) => (
                        <option key={o.id} value={o.id}>
                          {o.name} · {formatBytes(o.size)}
                        </option>
                      ))}
                    </Select>
                  )
                }
              </Field>
              <Field label="Title" optional hint="Shown to buyers. Defaults to the file name." error={errors.title}>
                {(c) => <Input {...c} value={title} maxLength={200} onChange={(e) => { setTitle(e.target.value); clear("title"); }} placeholder={selectedObject?.name ?? "e.g. Q3 market report"} />}
              </Field>
              <Field label="Description" optional error={errors.description}>
                {(c) => <Textarea {...c} value={description} maxLength={2000} rows={3} onChange={(e) => { setDescription(e.target.value); clear("description"); }} placeholder="What the buyer gets" />}
              </Field>
            </div>
          </Card>

          <Card>
            <CardHeader title="Price and payout" />
            <div className="grid gap-5 p-4 sm:grid-cols-2 sm:p-5">
              <Field
                label="Price"
                error={shown("price")}
                hint={
                  parsedPrice.ok ? (
                    <span data-testid="atomic-amount">
                      The buyer signs <strong className="font-medium text-zinc-700 dark:text-zinc-300">{parsedPrice.amount.toString()}</strong> atomic
                      units ({formatMoney(parsedPrice.amount)} USDC, {USDC_DECIMALS} decimals).
                    </span>
                  ) : (
                    "In USDC, up to 6 decimals."
                  )
                }
              >
                {(c) => (
                  <div className="relative">
                    <Input
                      {...c}
                      inputMode="decimal"
                      autoComplete="off"
                      value={price}
                      onChange={(e) => { setPrice(e.target.value); clear("price"); }}
                      onBlur={() => price && !parsedPrice.ok && setErrors((x) => ({ ...x, price: PRICE_ERROR_MESSAGES[parsedPrice.error] }))}
                      placeholder="5.00"
                      className="pr-16 tabular-nums"
                    />
                    <span className="pointer-events-none absolute right-3 top-1/2 -translate-y-1/2 text-sm text-zinc-500">USDC</span>
                  </div>
                )}
              </Field>
              <Field label="Network" error={errors.network} hint={selectedNetwork?.testnet ? "Test network: no real money moves." : undefined}>
                {(c) => (
                  <Select
                    {...c}
                    value={network}
                    onChange={(e) => {
                      touched.current.network = true;
                      setNetwork(e.target.value);
                      clear("network");
                    }}
                  >
                    {networks.length === 0 && <option value="">No network configured</option>}
                    {networks.map((n) => (
                      <option key={n.id} value={n.id}>
                        {n.name}
                        {n.testnet && !n.local ? " (testnet)" : ""}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field
                label="Payee address"
                className="sm:col-span-2"
                error={shown("payTo")}
                hint={
                  payTo.trim().toLowerCase() === address.toLowerCase()
                    ? "Your signed-in address receives the USDC."
                    : "This address receives the USDC. Double-check it: payments can’t be reversed."
                }
              >
                {(c) => (
                  <div className="flex gap-2">
                    <Input
                      {...c}
                      value={payTo}
                      spellCheck={false}
                      autoComplete="off"
                      className="font-mono text-xs sm:text-sm"
                      onChange={(e) => {
                        touched.current.payTo = true;
                        setPayTo(e.target.value);
                        clear("payTo");
                      }}
                      onBlur={() => {
                        const v = payTo.trim();
                        if (isAddress(v, { strict: false })) setPayTo(getAddress(v));
                        else if (v) setErrors((x) => ({ ...x, payTo: INVALID_ADDRESS }));
                      }}
                    />
                    {payTo.trim().toLowerCase() !== address.toLowerCase() && (
                      <Button
                        onClick={() => {
                          setPayTo(address);
                          setErrors((x) => ({ ...x, payTo: undefined }));
                        }}
                      >
                        Use mine
                      </Button>
                    )}
                  </div>
                )}
              </Field>
            </div>
          </Card>

          <Card>
            <CardHeader title="Availability" />
            <div className="space-y-5 p-4 sm:p-5">
              <fieldset>
                <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Link expires after</legend>
                <div className="grid grid-cols-2 gap-2 sm:grid-cols-5">
                  {[...EXPIRY_PRESETS.map((p) => ({ value: p.value as ExpiryChoice, label: p.label })), { value: "custom" as const, label: "Date & time" }].map((o) => (
                    <label
                      key={o.value}
                      className={cn(
                        "flex cursor-pointer items-center justify-center rounded-lg border px-3 py-2 text-sm font-medium transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500",
                        expiry === o.value
                          ? "border-zinc-900 bg-zinc-900 text-white dark:border-white dark:bg-white dark:text-zinc-900"
                          : "border-zinc-300 hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800",
                      )}
                    >
                      <input
                        type="radio"
                        name="expiry"
                        value={o.value}
                        checked={expiry === o.value}
                        onChange={() => { setExpiry(o.value); clear("expiresAt"); }}
                        className="sr-only"
                      />
                      {o.label}
                    </label>
                  ))}
                </div>
                {expiry === "custom" && (
                  <Field label="Expiry date and time" className="mt-3" error={shown("expiresAt")} hint={`In your time zone (${timeZone}).`}>
                    {(c) => (
                      <Input
                        {...c}
                        type="datetime-local"
                        value={customExpiry}
                        min={toLocalInput(new Date())}
                        max={toLocalInput(new Date(Date.now() + MAX_EXPIRY_MS))}
                        onChange={(e) => { setCustomExpiry(e.target.value); clear("expiresAt"); }}
                        className="sm:max-w-xs"
                      />
                    )}
                  </Field>
                )}
                {expiry !== "custom" && errors.expiresAt && (
                  <p role="alert" className="mt-1.5 text-xs font-medium text-red-600 dark:text-red-400">
                    {errors.expiresAt}
                  </p>
                )}
                <p className="mt-2 text-xs text-zinc-500" data-testid="expiry-preview">
                  {expiresAt && !shown("expiresAt") && !Number.isNaN(expiresAt.getTime()) ? `Expires ${formatDateTime(expiresAt)}` : "\u00a0"}
                </p>
              </fieldset>
              <div className="grid gap-5 sm:grid-cols-2">
                <Field label="Max purchases" optional hint="Leave empty for unlimited sales." error={errors.maxPurchases}>
                  {(c) => (
                    <Input {...c} inputMode="numeric" value={maxPurchases} onChange={(e) => { setMaxPurchases(e.target.value); clear("maxPurchases"); }} placeholder="Unlimited" />
                  )}
                </Field>
                <Field label="Access after purchase" hint="How long a buyer can re-download with their receipt." error={errors.accessSeconds}>
                  {(c) => (
                    <Select {...c} value={accessSeconds} onChange={(e) => { setAccessSeconds(Number(e.target.value)); clear("accessSeconds"); }}>
                      {ACCESS_OPTIONS.map((o) => (
                        <option key={o.seconds} value={o.seconds}>
                          {o.label}
                        </option>
                      ))}
                    </Select>
                  )}
                </Field>
              </div>
              <label className="flex items-start gap-2.5 text-sm" data-testid="listed">
                <input type="checkbox" className="mt-0.5 size-4" checked={listed} onChange={(e) => setListed(e.target.checked)} />
                <span>
                  List in the catalog
                  <span className="block text-xs text-zinc-500">
                    Agents find listed links in /api/catalog, /llms.txt and x402 discovery. Unlisted links are reachable only by their URL.
                  </span>
                </span>
              </label>
            </div>
          </Card>
        </div>

        <div className="lg:sticky lg:top-6 lg:self-start">
          <Card>
            <CardHeader title="Summary" />
            <dl className="space-y-3 p-4 text-sm sm:p-5">
              <SummaryRow label="Buyer pays">
                <span className="text-lg font-semibold tabular-nums">{parsedPrice.ok ? `${formatMoney(parsedPrice.amount)} USDC` : "—"}</span>
              </SummaryRow>
              <SummaryRow label="File">{selectedObject ? <span className="break-all">{selectedObject.name}</span> : "—"}</SummaryRow>
              <SummaryRow label="Network">{selectedNetwork?.name ?? "—"}</SummaryRow>
              <SummaryRow label="Paid to">
                <span className="font-mono text-xs">{isAddress(payTo.trim(), { strict: false }) ? shortAddress(getAddress(payTo.trim())) : "—"}</span>
              </SummaryRow>
              <SummaryRow label="Sales">{maxPurchases.trim() ? `Up to ${maxPurchases.trim()}` : "Unlimited"}</SummaryRow>
            </dl>
            <div className="border-t border-zinc-200 p-4 sm:p-5 dark:border-zinc-800">
              <Button type="submit" variant="primary" className="w-full" loading={create.isPending}>
                Create link
              </Button>
              <p className="mt-2 text-center text-xs text-zinc-500">Buyers pay gas-free; you receive the full price.</p>
            </div>
          </Card>
        </div>
      </form>
    </>
  );
}

function SummaryRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-4">
      <dt className="flex-none text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-right">{children}</dd>
    </div>
  );
}

/** After creation: the link, copy, QR code and next steps. */
function Created({ link, onAnother }: { link: LinkItem; onAnother: () => void }) {
  return (
    <>
      <PageHeader title="Your link is live" description={`${link.title ?? link.object.name} · ${formatMoney(link.amount)} USDC`} />
      <Card className="overflow-hidden">
        <div className="grid grid-cols-1 gap-6 p-5 sm:p-6 md:grid-cols-[auto_minmax(0,1fr)] md:items-center">
          <div className="flex justify-center">
            <QrCode value={link.url} size={176} downloadName={`vend-${link.slug.slice(0, 8)}`} />
          </div>
          <div className="min-w-0 space-y-4">
            <div className="flex items-center gap-2 text-sm font-medium text-emerald-700 dark:text-emerald-400">
              <CheckIcon /> Ready to share
            </div>
            <LinkUrlField url={link.url} />
            <p className="text-sm text-zinc-500">
              People who open it get the pay page; agents get an x402 <code className="font-mono text-xs">402 Payment Required</code> with the exact terms.
            </p>
            <div className="flex flex-wrap gap-2">
              <a href={link.payUrl} target="_blank" rel="noreferrer" className={buttonClass("secondary", "sm")}>
                <ExternalIcon /> Open pay page
              </a>
              <ButtonLink href={`/dashboard/links/${link.id}`} size="sm">
                View link
              </ButtonLink>
              <Button size="sm" variant="ghost" onClick={onAnother}>
                <PlusIcon /> Create another
              </Button>
            </div>
          </div>
        </div>
      </Card>
    </>
  );
}
