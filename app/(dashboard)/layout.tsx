import type { Metadata } from "next";
import { headers } from "next/headers";
import { cookieToInitialState } from "wagmi";
import { Providers } from "@/app/providers";
import { RedirectToSignIn } from "@/components/dashboard/redirect-to-sign-in";
import { creatorSession } from "@/components/dashboard/session";
import { DashboardShell } from "@/components/dashboard/shell";
import { clientNetworks } from "@/lib/client-networks";
import { wagmiConfig } from "@/lib/wagmi";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: { default: "Dashboard", template: "%s · Vend" }, robots: { index: false } };

/**
 * The creator dashboard frame. Requires a session: without one the visitor is sent to
 * `/sign-in?callbackUrl=<this page>` (the API routes enforce it independently). Mounts the client
 * providers (wagmi, TanStack Query, next-auth) here, not in the root layout, so that public pages
 * stay light.
 */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const session = await creatorSession();
  if (!session) return <RedirectToSignIn />;
  const networks = clientNetworks();
  const initialState = cookieToInitialState(wagmiConfig(networks), (await headers()).get("cookie"));
  return (
    <Providers networks={networks} initialState={initialState}>
      <DashboardShell address={session.address} networks={networks}>
        {children}
      </DashboardShell>
    </Providers>
  );
}
