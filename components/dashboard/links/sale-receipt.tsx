"use client";

import { CopyButton } from "@/components/ui/copy-button";

/**
 * A sale's signed x402 offer-receipt receipt (the JWS the buyer received in `PAYMENT-RESPONSE`,
 * verifiable against this deployment's `/.well-known/did.json`): marked "Signed", copied as JSON.
 */
export function SaleReceipt({ receipt }: { receipt: { format: string; signature: string } }) {
  return (
    <span className="inline-flex items-center gap-1 text-xs text-zinc-600 dark:text-zinc-400" data-testid="sale-receipt" title={receipt.signature}>
      Signed ({receipt.format.toUpperCase()})
      <CopyButton value={JSON.stringify({ "offer-receipt": receipt }, null, 2)} label="Copy the signed receipt" />
    </span>
  );
}
