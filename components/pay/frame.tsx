import { LockIcon } from "@/components/pay/icons";

/** The pay page's chrome: a quiet header and a trust footer around the content. */
export function PayFrame({ children, wide = true }: { children: React.ReactNode; wide?: boolean }) {
  return (
    <div className="flex min-h-dvh flex-col bg-zinc-50 dark:bg-zinc-950">
      <header className={`mx-auto flex w-full items-center justify-between px-4 py-3 sm:px-6 sm:py-4 ${wide ? "max-w-5xl" : "max-w-md"}`}>
        {/* A plain link: the pay page ships no client router code of its own. */}
        <a href="/" className="text-[15px] font-semibold tracking-tight">
          Vend
        </a>
        <span className="flex items-center gap-1.5 text-xs text-zinc-500">
          <LockIcon className="size-3.5" /> Checkout with USDC · x402
        </span>
      </header>
      <main className={`mx-auto w-full flex-1 px-4 pb-10 sm:px-6 ${wide ? "max-w-5xl" : "max-w-md"}`}>{children}</main>
      <footer className="mx-auto w-full max-w-5xl px-4 pb-8 text-center text-xs leading-5 text-zinc-500 sm:px-6">
        Payments go straight from your wallet to the seller&apos;s address, on chain. Vend never holds your funds.
      </footer>
    </div>
  );
}
