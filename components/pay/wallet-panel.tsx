"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { WagmiProvider } from "wagmi";
import { Checkout } from "@/components/pay/checkout";
import type { CheckoutProps } from "@/lib/pay/types";
import { wagmiConfig } from "@/lib/wagmi";

/**
 * The wallet panel: wagmi + TanStack Query scoped to this page and to the link's one chain, so
 * the root layout carries no wallet code. Loaded lazily by {@link PanelLoader} after the
 * server-rendered details are on screen. On the local chain it also offers the test wallet.
 * Reconnection is done by the checkout itself, for the wallet last used on this site only.
 */
export default function WalletPanel(props: CheckoutProps) {
  // Client-only (ssr: false): stored state and announced wallets are there on the first render.
  const [config] = useState(() => wagmiConfig([props.network], { devWallet: "per-account", ssr: false, buyerWallets: true }));
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 5_000, refetchOnWindowFocus: false } } }),
  );
  return (
    <WagmiProvider config={config} reconnectOnMount={false}>
      <QueryClientProvider client={queryClient}>
        <Checkout {...props} />
      </QueryClientProvider>
    </WagmiProvider>
  );
}
