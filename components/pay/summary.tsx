import { Countdown } from "@/components/pay/countdown";
import { ClockIcon, ExternalIcon, FileIcon } from "@/components/pay/icons";
import { formatDateTime, formatDuration, formatTimeLeft, shortAddress } from "@/lib/format";
import type { PayView } from "@/lib/pay/types";

/** What is for sale: title, seller, price, file, expiry. Server-rendered, visible before any JS. */
export function Summary({ view, now }: { view: PayView; now: number }) {
  return (
    <section aria-labelledby="pay-title" className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900">
      <p className="text-xs font-medium text-zinc-500">
        Sold by{" "}
        <Address address={view.creator} href={view.creatorUrl} testId="creator" />
      </p>
      <h1 id="pay-title" className="mt-1 text-2xl leading-tight font-semibold tracking-tight break-words sm:text-[28px]">
        {view.title}
      </h1>
      <p className="mt-3 flex items-baseline gap-2">
        <span data-testid="price" className="text-3xl font-semibold tracking-tight tabular-nums">
          {view.price} USDC
        </span>
        <span className="text-sm text-zinc-500">on {view.network.name}</span>
      </p>
      {view.description ? (
        <p className="mt-3 text-[15px] leading-6 whitespace-pre-line [overflow-wrap:anywhere] text-zinc-600 dark:text-zinc-300" data-testid="description">
          {view.description}
        </p>
      ) : null}
      <div className="mt-4 flex items-center gap-3 rounded-xl bg-zinc-50 px-3 py-2.5 dark:bg-zinc-800/60">
        <span className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-white text-zinc-500 ring-1 ring-zinc-200 dark:bg-zinc-900 dark:ring-zinc-700">
          <FileIcon className="size-5" />
        </span>
        <div className="min-w-0 text-sm">
          <p className="truncate font-medium" data-testid="file-name" title={view.file.name}>
            {view.file.name}
          </p>
          <p className="text-zinc-500">
            <span data-testid="file-kind">{view.file.kind}</span> · <span data-testid="file-size">{view.file.sizeLabel}</span>
          </p>
        </div>
      </div>
      {view.paid ? null : (
        <p className="mt-3 flex items-center gap-1.5 text-sm text-zinc-600 dark:text-zinc-400">
          <ClockIcon className="size-4" />
          <span>
            <span className="font-medium text-zinc-900 dark:text-zinc-100">
              <Countdown expiresAt={view.expiresAt} initial={formatTimeLeft(view.expiresAt, now)} />
            </span>{" "}
            to buy
          </span>
        </p>
      )}
    </section>
  );
}

/** The link's terms in full: network, token, payee, seller, expiry, access window, copies left. */
export function Details({ view }: { view: PayView }) {
  const rows: [string, React.ReactNode][] = [
    [
      "Network",
      <span key="n" className="inline-flex items-center gap-1.5">
        {view.network.name}
        {view.network.testnet ? (
          <span className="rounded-full bg-amber-100 px-1.5 py-0.5 text-[11px] font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
            test network
          </span>
        ) : null}
      </span>,
    ],
    ["Token", <Address key="t" address={view.network.asset} href={view.network.explorer ? `${view.network.explorer}/token/${view.network.asset}` : null} label="USDC" />],
    ["Pays to", <Address key="p" address={view.payTo} href={view.payToUrl} testId="payee" />],
    ["Seller", <Address key="s" address={view.creator} href={view.creatorUrl} />],
    ["Offer ends", <span key="e">{formatDateTime(view.expiresAt, "UTC")}</span>],
    ["Access", <span key="a">Download for {formatDuration(view.accessSeconds)} after paying</span>],
  ];
  if (view.remaining !== null) rows.push(["Copies left", <span key="r">{view.remaining}</span>]);
  return (
    <section aria-label="Details" className="rounded-2xl border border-zinc-200 bg-white px-5 py-2 sm:px-6 dark:border-zinc-800 dark:bg-zinc-900">
      <dl className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
        {rows.map(([term, value]) => (
          <div key={term} className="flex items-center justify-between gap-4 py-2.5">
            <dt className="text-zinc-500">{term}</dt>
            <dd className="min-w-0 text-right">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** An address shortened, with its explorer page on real networks (the full address on hover). */
export function Address({
  address,
  href,
  label,
  testId,
}: {
  address: string;
  href: string | null;
  label?: string;
  testId?: string;
}) {
  const text = label ? `${label} · ${shortAddress(address)}` : shortAddress(address);
  if (!href) {
    return (
      <span className="font-mono text-[13px]" title={address} data-testid={testId}>
        {text}
      </span>
    );
  }
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer"
      title={address}
      data-testid={testId}
      className="inline-flex items-center gap-1 font-mono text-[13px] underline decoration-zinc-300 underline-offset-2 hover:decoration-zinc-500"
    >
      {text}
      <ExternalIcon />
    </a>
  );
}
