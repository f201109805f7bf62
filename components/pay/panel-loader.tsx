"use client";

import dynamic from "next/dynamic";
import { Spinner } from "@/components/pay/icons";
import type { CheckoutProps } from "@/lib/pay/types";

/** Placeholder with the wallet step's shape while its code loads (no layout shift). */
export function PanelSkeleton() {
  return (
    <div data-testid="wallet-panel-loading" aria-busy="true">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Connect the wallet that holds your USDC.</p>
      <div className="mt-3 flex h-[54px] items-center justify-center gap-2 rounded-xl border border-zinc-200 text-sm text-zinc-500 dark:border-zinc-700">
        <Spinner /> Loading wallets…
      </div>
      <noscript>
        <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Paying from a wallet needs JavaScript. Turn it on and reload — or pay from code, below.
        </p>
      </noscript>
    </div>
  );
}

const WalletPanel = dynamic(() => import("@/components/pay/wallet-panel"), { ssr: false, loading: PanelSkeleton });

/**
 * Client-only boundary of the wallet panel: wagmi, viem and the x402 client load in their own
 * chunks after the page's server-rendered details, never in the page's first-load JavaScript.
 */
export function PanelLoader(props: CheckoutProps) {
  return <WalletPanel {...props} />;
}
