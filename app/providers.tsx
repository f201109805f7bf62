"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { SessionProvider } from "next-auth/react";
import { useState } from "react";
import { WagmiProvider, type State } from "wagmi";
import { wagmiConfig, type ClientNetwork } from "@/lib/wagmi";

/**
 * Client providers: wagmi (wallets), TanStack Query (API data, shared with wagmi) and the
 * next-auth session. `initialState` comes from the wagmi cookie so the first render matches SSR.
 */
export function Providers({
  children,
  networks,
  initialState,
}: {
  children: React.ReactNode;
  networks: ClientNetwork[];
  initialState?: State;
}) {
  const [config] = useState(() => wagmiConfig(networks));
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, refetchOnWindowFocus: false } } }),
  );
  return (
    <WagmiProvider config={config} initialState={initialState}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>{children}</SessionProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
