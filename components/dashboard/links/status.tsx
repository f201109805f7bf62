"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatTimeLeft } from "@/lib/format";
import type { LinkItem, LinkStatus } from "@/components/dashboard/types";

export const STATUS_LABEL: Record<LinkStatus, string> = {
  active: "Active",
  expired: "Expired",
  revoked: "Revoked",
  sold_out: "Sold out",
  object_gone: "Unavailable",
};

const TONE: Record<LinkStatus, BadgeTone> = {
  active: "green",
  expired: "zinc",
  revoked: "red",
  sold_out: "amber",
  object_gone: "zinc",
};

/** A link's status pill, with the time left while active and the sell-out count when sold out. */
export function LinkStatusBadge({ link }: { link: Pick<LinkItem, "status" | "expiresAt" | "purchaseCount" | "maxPurchases"> }) {
  const left = link.status === "active" && new Date(link.expiresAt).getTime() > Date.now() ? formatTimeLeft(link.expiresAt) : null;
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="link-status" data-status={link.status}>
      <Badge tone={TONE[link.status]}>{STATUS_LABEL[link.status]}</Badge>
      {left && <span className="whitespace-nowrap text-xs text-zinc-500">{left}</span>}
      {link.status === "sold_out" && link.maxPurchases !== null && (
        <span className="whitespace-nowrap text-xs text-zinc-500">
          {link.purchaseCount}/{link.maxPurchases}
        </span>
      )}
      {link.status === "object_gone" && <span className="whitespace-nowrap text-xs text-zinc-500">File deleted</span>}
    </span>
  );
}

/** Whether revoking still changes anything for this link. */
export function canRevoke(status: LinkStatus): boolean {
  return status === "active" || status === "expired" || status === "sold_out";
}
