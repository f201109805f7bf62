import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { FileIcon, LinkIcon, LogoMark, WalletIcon } from "@/components/ui/icons";

/** The three ways through Vend: who does what, in order. */
const JOURNEYS = [
  {
    id: "creator",
    icon: FileIcon,
    who: "Creators",
    title: "Sell a file with one link",
    steps: [
      "Sign in with your wallet (SIWE): no email, no password.",
      "Upload a file; it is stored as a signed ANS-104 DataItem.",
      "Create a payment link: a price in USDC, the address that gets paid, a network, an expiry, optional limits.",
      "Share it, then follow sales, export them as CSV, revoke the link when you want.",
    ],
  },
  {
    id: "buyer",
    icon: WalletIcon,
    who: "Buyers",
    title: "Pay from a wallet, download at once",
    steps: [
      "Open the link: the file, its price and its terms are on the page.",
      "Connect MetaMask, Coinbase Wallet or any EIP-6963 wallet.",
      "Sign one USDC transfer (EIP-3009): no gas, paid to the creator’s address.",
      "The download starts as soon as the payment settles; a receipt re-opens it for the access window.",
    ],
  },
  {
    id: "agent",
    icon: LinkIcon,
    who: "Agents",
    title: "Pay the same URL from code",
    steps: [
      "GET the link: the answer is 402 Payment Required with the exact terms (x402 v1 and v2).",
      "Pay with any x402 client, such as @x402/fetch.",
      "Get the file back with the settlement in PAYMENT-RESPONSE, after it settled on chain.",
    ],
  },
] as const;

/** Landing page: what Vend is, the creator, buyer and agent journeys, and the way in. */
export default function Home() {
  return (
    <div className="min-h-dvh bg-white dark:bg-zinc-950">
      <header className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-5 py-5 sm:px-8">
        <span className="flex items-center gap-2 text-lg font-semibold tracking-tight">
          <LogoMark size={26} />
          Vend
        </span>
        <Link href="/sign-in" className={buttonClass("secondary", "sm")}>
          Sign in
        </Link>
      </header>
      <main>
        <section className="mx-auto max-w-5xl px-5 pt-10 pb-12 sm:px-8 sm:pt-16">
          <h1 className="max-w-3xl text-4xl leading-tight font-semibold tracking-tight sm:text-5xl">
            Sell private files for USDC with one link.
          </h1>
          <p className="mt-5 max-w-2xl text-lg leading-8 text-zinc-600 dark:text-zinc-400">
            Vend is a self-hostable dashboard for expiring, paywalled file links over{" "}
            <a href="https://x402.org" className="font-medium text-zinc-900 underline underline-offset-4 dark:text-zinc-100">
              x402
            </a>
            . Upload a file, set a price and an expiry, share the link: people pay from their wallet, agents pay the same
            URL from code. Every payment settles on chain before a single byte is delivered, and it goes straight to your
            address.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link href="/sign-in" className={buttonClass("primary", "md")}>
              Sign in with your wallet
            </Link>
            <a href="#journeys" className={buttonClass("secondary", "md")}>
              How it works
            </a>
          </div>
        </section>
        <section id="journeys" aria-labelledby="journeys-title" className="border-t border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/40">
          <div className="mx-auto max-w-5xl px-5 py-12 sm:px-8 sm:py-16">
            <h2 id="journeys-title" className="text-2xl font-semibold tracking-tight">
              One link, three journeys
            </h2>
            <div className="mt-8 grid gap-4 md:grid-cols-3">
              {JOURNEYS.map(({ id, icon: Icon, who, title, steps }) => (
                <article
                  key={id}
                  id={id}
                  aria-labelledby={`${id}-title`}
                  className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
                >
                  <p className="flex items-center gap-2 text-sm font-medium text-zinc-600 dark:text-zinc-300">
                    <span className="flex size-8 items-center justify-center rounded-lg bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
                      <Icon size={16} />
                    </span>
                    {who}
                  </p>
                  <h3 id={`${id}-title`} className="mt-3 text-base font-semibold">
                    {title}
                  </h3>
                  <ol className="mt-3 space-y-2 text-sm leading-6 text-zinc-600 dark:text-zinc-400">
                    {steps.map((step, i) => (
                      <li key={step} className="flex gap-2.5">
                        <span aria-hidden="true" className="mt-0.5 flex size-5 flex-none items-center justify-center rounded-full bg-zinc-100 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                          {i + 1}
                        </span>
                        <span className="min-w-0">{step}</span>
                      </li>
                    ))}
                  </ol>
                </article>
              ))}
            </div>
            <pre className="mt-8 rounded-xl bg-zinc-950 p-4 font-mono text-[13px] leading-6 break-all whitespace-pre-wrap text-zinc-100 dark:bg-black">
              <code>
                <span className="text-zinc-400"># an agent asks the price: 402 Payment Required, terms in PAYMENT-REQUIRED</span>
                {"\ncurl -i https://vend.example.com/l/<slug>"}
              </code>
            </pre>
          </div>
        </section>
      </main>
      <footer className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-5 py-8 text-sm text-zinc-500 sm:px-8">
        <span>Vend runs on your own server: PostgreSQL, S3-compatible storage and any EVM network with USDC.</span>
        <Link href="/sign-in" className="font-medium text-zinc-900 underline underline-offset-4 dark:text-zinc-100">
          Sign in
        </Link>
      </footer>
    </div>
  );
}
