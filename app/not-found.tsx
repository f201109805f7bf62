import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { LogoMark } from "@/components/ui/icons";

export const metadata: Metadata = { title: "Page not found", robots: { index: false } };

/** Any other unknown path (404). */
export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-5 py-12 text-center">
      <Link href="/" aria-label="Vend home" className="mb-8 rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500">
        <LogoMark size={36} />
      </Link>
      <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 max-w-sm text-sm leading-6 text-zinc-600 dark:text-zinc-400">
        There is nothing at this address. If someone sent you a payment link, check that you copied all of it.
      </p>
      <div className="mt-6 flex flex-wrap justify-center gap-2">
        <Link href="/" className={buttonClass("primary", "md")}>
          Go to the home page
        </Link>
        <Link href="/dashboard" className={buttonClass("secondary", "md")}>
          Open the dashboard
        </Link>
      </div>
    </main>
  );
}
