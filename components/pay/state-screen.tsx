import { BanIcon, ClockIcon, FileIcon } from "@/components/pay/icons";
import { formatDateTime, shortAddress } from "@/lib/format";
import type { PayState } from "@/lib/pay/types";

/** What a closed link's screen says about the link. */
export type ClosedLinkSummary = {
  title: string;
  creator: string;
  expiresAt: string;
  networkName: string;
};

type Copy = { heading: string; body: (s: ClosedLinkSummary) => string; icon: "clock" | "ban" | "file" };

const COPY: Record<Exclude<PayState, "active">, Copy> = {
  expired: {
    heading: "This link has expired",
    body: (s) => `It stopped selling on ${formatDateTime(s.expiresAt, "UTC")}. Nothing can be bought here any more — ask the seller for a new link.`,
    icon: "clock",
  },
  revoked: {
    heading: "This link was turned off",
    body: () => "The seller revoked it, so it no longer sells. If you expected to buy here, ask the seller for a new link.",
    icon: "ban",
  },
  sold_out: {
    heading: "Sold out",
    body: () => "Every copy offered through this link has been sold. Ask the seller whether a new link is coming.",
    icon: "ban",
  },
  object_gone: {
    heading: "This file is no longer available",
    body: () => "The seller removed the file behind this link, so it can no longer be bought or downloaded.",
    icon: "file",
  },
  unavailable: {
    heading: "Payments are paused",
    body: (s) => `This link is paid on ${s.networkName}, which this server cannot reach right now. Nothing was charged; try again later.`,
    icon: "clock",
  },
};

/**
 * The screen of a link that cannot sell (expired, revoked, sold out, file gone, network paused).
 * Rendered by the server on load and by the page's client shell when the state changes while the
 * page is open (the countdown reaching zero, or a 410 from the purchase API).
 */
export function StateScreen({ state, summary }: { state: Exclude<PayState, "active">; summary: ClosedLinkSummary }) {
  const copy = COPY[state];
  const Icon = copy.icon === "clock" ? ClockIcon : copy.icon === "ban" ? BanIcon : FileIcon;
  return (
    <section
      data-testid={`pay-state-${state}`}
      className="mx-auto w-full max-w-md rounded-2xl border border-zinc-200 bg-white p-6 text-center shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
        <Icon className="size-6" />
      </div>
      <h1 className="mt-4 text-xl font-semibold tracking-tight">{copy.heading}</h1>
      <p className="mt-2 text-sm leading-6 text-zinc-600 dark:text-zinc-400">{copy.body(summary)}</p>
      <div className="mt-6 rounded-xl bg-zinc-50 px-4 py-3 text-left text-sm dark:bg-zinc-800/60">
        <p className="truncate font-medium" title={summary.title}>
          {summary.title}
        </p>
        <p className="mt-0.5 text-zinc-500">
          Sold by <span className="font-mono text-xs" title={summary.creator}>{shortAddress(summary.creator)}</span>
        </p>
      </div>
    </section>
  );
}
