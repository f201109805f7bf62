"use client";

import { useEffect, useState } from "react";
import { startDownload } from "@/components/pay/download";
import { CheckIcon, DownloadIcon } from "@/components/pay/icons";
import { forgetPayment, rememberedPayment } from "@/components/pay/purchase-client";
import { formatDateTime } from "@/lib/format";

/**
 * A buyer who already paid (a valid receipt cookie came with the page): a plain link downloads the
 * file — it works without JavaScript too — until the receipt expires. No wallet, no second
 * payment. The download starts by itself only once, when this browser's purchase never got its
 * answer (its signed payment is still kept: the response was lost, then the page reloaded); a
 * purchase that already started its download does not start it again on every reload.
 */
export function AlreadyPaid({
  slug,
  downloadUrl,
  expiresAt,
  fileName,
  sizeLabel,
}: {
  slug: string;
  downloadUrl: string;
  expiresAt: string;
  fileName: string;
  sizeLabel: string;
}) {
  const [until, setUntil] = useState<string | null>(null);
  const [valid, setValid] = useState(true);
  useEffect(() => {
    setUntil(formatDateTime(expiresAt));
    const left = new Date(expiresAt).getTime() - Date.now();
    if (left <= 0) return setValid(false);
    if (rememberedPayment(slug)) {
      forgetPayment(slug);
      startDownload(downloadUrl);
    }
    const t = setTimeout(() => setValid(false), Math.min(left, 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [slug, downloadUrl, expiresAt]);

  if (!valid) {
    return (
      <div data-testid="already-paid-ended">
        <p className="text-lg font-semibold">Your access has ended</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          The download window of your purchase is over. Reload the page to buy it again.
        </p>
      </div>
    );
  }
  return (
    <div data-testid="already-paid">
      <div className="flex items-center gap-3">
        <span className="flex size-10 items-center justify-center rounded-full bg-emerald-500 text-white">
          <CheckIcon className="size-6" />
        </span>
        <div>
          <p className="text-lg font-semibold">You already paid</p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">Your purchase is still valid — no new payment needed.</p>
        </div>
      </div>
      <a
        href={downloadUrl}
        download
        data-testid="download-again"
        className="mt-5 flex h-12 w-full items-center justify-center gap-2 rounded-xl bg-zinc-900 text-base font-semibold text-white hover:bg-zinc-800 dark:bg-white dark:text-zinc-900"
      >
        <DownloadIcon /> Download
      </a>
      <p className="mt-2 text-center text-xs text-zinc-500">
        {fileName} · {sizeLabel}
        {until ? (
          <>
            {" "}
            · available until <time dateTime={expiresAt}>{until}</time>
          </>
        ) : null}
      </p>
    </div>
  );
}
