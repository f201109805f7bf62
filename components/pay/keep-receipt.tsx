"use client";

import { CopyButton } from "@/components/pay/copy-button";

/** A signed x402 offer-receipt receipt as `POST /api/purchases` returns it (`offerReceipt`). */
export type OfferReceipt = { format: "jws" | "eip712"; signature: string; payload?: unknown };

/**
 * "Keep your receipt": the deployment's signed receipt of this purchase (x402 offer-receipt, JWS
 * whose key is published at `/.well-known/did.json`) saved as a JSON file the buyer can show later
 * as proof of purchase, or copied.
 */
export function KeepReceipt({ receipt, fileName }: { receipt: OfferReceipt; fileName: string }) {
  const text = `${JSON.stringify({ "offer-receipt": receipt }, null, 2)}\n`;
  const href = `data:application/json;charset=utf-8,${encodeURIComponent(text)}`;
  return (
    <div className="mt-4 flex items-center justify-between gap-2 rounded-xl bg-zinc-50 px-3 py-2.5 text-sm dark:bg-zinc-800/60" data-testid="keep-receipt">
      <span className="text-zinc-500">Signed receipt</span>
      <span className="flex items-center gap-3">
        <a href={href} download={`receipt-${fileName}.json`} className="text-xs font-medium underline underline-offset-2">
          Save
        </a>
        <CopyButton text={text} />
      </span>
    </div>
  );
}
