"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { ExternalIcon } from "@/components/ui/icons";
import { Input } from "@/components/ui/input";
import { QrCode } from "@/components/ui/qr-code";
import { useToast } from "@/components/ui/toast";
import { api, errorMessage } from "@/components/dashboard/api";
import { keys } from "@/components/dashboard/queries";
import type { LinkItem } from "@/components/dashboard/types";

/** The link URL in a read-only field with a copy button (select-all on focus for manual copy). */
export function LinkUrlField({ url, label = "Link URL" }: { url: string; label?: string }) {
  return (
    <div className="flex items-center gap-2">
      <Input
        readOnly
        value={url}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
        className="font-mono text-xs"
        data-testid="link-url"
      />
      <CopyButton value={url} label="Copy link URL" variant="secondary">
        Copy
      </CopyButton>
    </div>
  );
}

/** The share dialog: QR code (downloadable), URL with copy, and the pay page. */
export function ShareDialog({ link, onClose }: { link: LinkItem | null; onClose: () => void }) {
  return (
    <Dialog
      open={Boolean(link)}
      onClose={onClose}
      title="Share this link"
      description={link ? `${link.title ?? link.object.name} · anyone with it can buy; agents get an x402 challenge.` : undefined}
    >
      {link && (
        <div className="space-y-4">
          <div className="flex justify-center">
            <QrCode value={link.url} size={200} downloadName={`vend-${link.slug.slice(0, 8)}`} />
          </div>
          <LinkUrlField url={link.url} />
          <a href={link.payUrl} target="_blank" rel="noreferrer" className={buttonClass("secondary", "md", "w-full")}>
            <ExternalIcon /> Open pay page
          </a>
        </div>
      )}
    </Dialog>
  );
}

/** Revoke with confirmation; updates every cached view of the link. */
export function RevokeDialog({ link, onClose }: { link: LinkItem | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation({
    mutationFn: (l: LinkItem) => api<LinkItem>(`/api/links/${encodeURIComponent(l.id)}`, { method: "PATCH", json: { revoked: true } }),
    onSuccess: (updated) => {
      queryClient.setQueriesData<{ links: LinkItem[]; nextCursor: string | null }>({ queryKey: [...keys.links, "list"] }, (data) =>
        data ? { ...data, links: data.links.map((l) => (l.id === updated.id ? { ...l, ...updated, sales: l.sales } : l)) } : data,
      );
      void queryClient.invalidateQueries({ queryKey: keys.links });
      toast.success("Link revoked", "New buyers now get “revoked”. Buyers with a receipt keep their access window.");
    },
    onError: (error) => toast.error("Could not revoke", errorMessage(error)),
  });
  return (
    <ConfirmDialog
      open={Boolean(link)}
      onClose={onClose}
      title="Revoke this link?"
      confirmLabel="Revoke link"
      onConfirm={async () => { if (link) await revoke.mutateAsync(link); }}
      description={
        <>
          <strong className="font-medium text-zinc-900 dark:text-zinc-100">{link?.title ?? link?.object.name}</strong> stops selling
          immediately: people and agents opening it see that it was revoked. Buyers who already paid keep their access window.
          This can’t be undone — create a new link to sell again.
        </>
      }
    />
  );
}
