"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { Spinner } from "@/components/pay/icons";
import { rememberedPayment } from "@/components/pay/purchase-client";
import type { CheckoutProps } from "@/lib/pay/types";

/** Rows of the wallet list while its code loads: the list's own height, so nothing moves when it arrives. */
export function PanelSkeleton() {
  return (
    <div data-testid="wallet-panel-loading" aria-busy="true" className="min-h-60">
      <p className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
        <Spinner /> Loading wallets…
      </p>
      <ul className="mt-3 space-y-2" aria-hidden>
        {[0, 1, 2].map((i) => (
          <li key={i} className="h-[54px] animate-pulse rounded-xl border border-zinc-200 bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-800/60" />
        ))}
      </ul>
    </div>
  );
}

const WalletPanel = dynamic(() => import("@/components/pay/wallet-panel"), { ssr: false, loading: PanelSkeleton });

/**
 * The wallet step's entry: the price and the Pay button are server-rendered (painted before any
 * JavaScript), and the wallet code — wagmi, viem, connectors, the x402 client — is fetched only
 * when the buyer asks for it (warmed on hover, focus or touch, loaded on press), or straight away
 * for a returning buyer whose last wallet can reconnect (`resume`, from wagmi's
 * `wagmi.recentConnectorId` cookie) or whose signed payment is still waiting for its answer (kept
 * in this browser, posted again by the checkout). The panel keeps a minimum height so the loaded
 * wallet list does not move the page.
 */
export function PanelLoader({ resume, ...props }: CheckoutProps & { resume: boolean }) {
  const [open, setOpen] = useState(resume);
  useEffect(() => {
    if (rememberedPayment(props.slug)) setOpen(true);
  }, [props.slug]);
  if (open) return <WalletPanel {...props} />;
  const warm = () => void import("@/components/pay/wallet-panel");
  return (
    <div data-testid="pay-launcher" className="min-h-60">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">Pay from the wallet that holds your USDC.</p>
      <button
        type="button"
        data-testid="pay-start"
        onClick={() => setOpen(true)}
        onPointerEnter={warm}
        onTouchStart={warm}
        onFocus={warm}
        className="mt-3 flex h-12 w-full items-center justify-center rounded-xl bg-zinc-900 px-4 text-base font-semibold text-white transition hover:bg-zinc-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900 dark:bg-white dark:text-zinc-900 dark:hover:bg-zinc-200"
      >
        Pay {props.price} USDC
      </button>
      <p className="mt-3 text-xs leading-5 text-zinc-500">
        Works with MetaMask, Coinbase Wallet, Base Account and other browser wallets — including smart wallets. You choose your
        wallet next, then sign one USDC transfer. No gas fee.
      </p>
      <noscript>
        <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Paying from a wallet needs JavaScript. Turn it on and reload — or pay from code, below.
        </p>
      </noscript>
    </div>
  );
}
