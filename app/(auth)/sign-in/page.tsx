import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cookieToInitialState } from "wagmi";
import { Providers } from "@/app/providers";
import { SignInPanel } from "@/app/(auth)/sign-in/sign-in-panel";
import { creatorSession, safeCallbackUrl } from "@/components/dashboard/session";
import { LogoMark } from "@/components/ui/icons";
import { clientNetworks } from "@/lib/client-networks";
import { wagmiConfig } from "@/lib/wagmi";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Sign in", robots: { index: false } };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * Sign in with a wallet (SIWE, EIP-4361). A creator who already has a session goes straight to
 * `callbackUrl`. `?error=` carries next-auth's rejection reason when a form post failed.
 */
export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const error = typeof params.error === "string" ? params.error : undefined;
  const session = await creatorSession();
  if (session && !error) redirect(callbackUrl);
  const networks = clientNetworks();
  const local = networks.find((n) => n.local && n.rpcUrl);
  const initialState = cookieToInitialState(wagmiConfig(networks), (await headers()).get("cookie"));
  return (
    <div className="grid min-h-dvh grid-cols-1 lg:grid-cols-[1fr_minmax(0,34rem)]">
      <aside className="relative hidden overflow-hidden bg-zinc-950 p-12 text-white lg:flex lg:flex-col">
        <div
          aria-hidden="true"
          className="absolute inset-0 opacity-60 [background:radial-gradient(60rem_30rem_at_20%_110%,rgba(99,102,241,.35),transparent),radial-gradient(40rem_30rem_at_90%_-10%,rgba(16,185,129,.25),transparent)]"
        />
        <div className="relative flex items-center gap-2 text-lg font-semibold tracking-tight">
          <LogoMark size={28} className="[&_rect]:fill-white [&_path]:stroke-zinc-900" />
          Vend
        </div>
        <div className="relative mt-auto max-w-md">
          <p className="text-3xl font-semibold leading-tight tracking-tight">Sell files for USDC with one link.</p>
          <p className="mt-4 text-zinc-400">
            Upload once, set a price and an expiry, share the link. People pay from their wallet, agents pay over
            x402 from code — the money lands in your address.
          </p>
          <dl className="mt-10 grid grid-cols-3 gap-4 text-sm">
            <div>
              <dt className="text-zinc-500">Settles</dt>
              <dd className="mt-1 font-medium">On chain, in USDC</dd>
            </div>
            <div>
              <dt className="text-zinc-500">Fees</dt>
              <dd className="mt-1 font-medium">Gas paid for buyers</dd>
            </div>
            <div>
              <dt className="text-zinc-500">Files</dt>
              <dd className="mt-1 font-medium">Signed ANS-104</dd>
            </div>
          </dl>
        </div>
      </aside>
      <main className="flex items-center justify-center bg-white px-5 py-12 dark:bg-zinc-950">
        <Providers networks={networks} initialState={initialState}>
          <SignInPanel
            callbackUrl={callbackUrl}
            initialError={error}
            devChain={local?.rpcUrl ? { rpcUrl: local.rpcUrl, chainId: local.chainId } : undefined}
          />
        </Providers>
      </main>
    </div>
  );
}
