import Link from "next/link";

/** Landing page. */
export default function Home() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-6 px-6">
      <h1 className="text-4xl font-semibold tracking-tight">Vend</h1>
      <p className="text-lg text-zinc-600 dark:text-zinc-400">
        Sell access to private files with expiring x402 payment links. People pay from their wallet; agents pay from
        code. Every file is a signed ANS-104 DataItem.
      </p>
      <div className="flex gap-3">
        <Link href="/dashboard" className="rounded-md bg-zinc-900 px-4 py-2 text-white dark:bg-white dark:text-zinc-900">
          Open the dashboard
        </Link>
      </div>
    </main>
  );
}
