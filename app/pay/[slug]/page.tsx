import type { Metadata } from "next";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { AlreadyPaid } from "@/components/pay/already-paid";
import { PayFrame } from "@/components/pay/frame";
import { PanelLoader } from "@/components/pay/panel-loader";
import { PayFromCode } from "@/components/pay/pay-from-code";
import { PayShell } from "@/components/pay/pay-shell";
import { StateScreen, type ClosedLinkSummary } from "@/components/pay/state-screen";
import { Details, Summary } from "@/components/pay/summary";
import { env } from "@/lib/env";
import { loadLinkWithSeller, loadPayView } from "@/lib/pay/view";
import { receiptCookieName } from "@/lib/purchases/receipts";
import { formatUsdc } from "@/lib/format";

export const dynamic = "force-dynamic";

/** wagmi's cookie (cookieStorage, key `wagmi`) naming the wallet this browser last connected here. */
const RECENT_WALLET_COOKIE = "wagmi.recentConnectorId";

type Props = { params: Promise<{ slug: string }> };

/** Title, description, Open Graph and Twitter tags (the image is `opengraph-image.tsx`). */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const loaded = await loadLinkWithSeller((await params).slug);
  if (!loaded) return { title: "Link not found", robots: { index: false } };
  const { link } = loaded;
  const title = link.title?.trim() || link.object.name;
  const description = `${formatUsdc(link.amount)} · ${link.description?.trim() || link.object.name}`.slice(0, 200);
  return {
    metadataBase: new URL(env().appUrl),
    title,
    description,
    // Payment links are shared on purpose, not published: keep them out of search engines.
    robots: { index: false, follow: false },
    openGraph: { title, description, type: "website", siteName: "Vend", url: `/pay/${link.slug}` },
    twitter: { card: "summary_large_image", title, description },
  };
}

/**
 * The buyer page of a link (`/l/{slug}` sends browsers here). Server-rendered: the details, the
 * price and the Pay button are on screen before any JavaScript; the wallet code loads when the
 * buyer presses Pay (or at once for a returning buyer whose wallet reconnects). A valid receipt
 * cookie shows the download; a link that cannot sell gets its own screen.
 */
export default async function PayPage({ params }: Props) {
  const { slug } = await params;
  const jar = await cookies();
  const view = await loadPayView(slug, jar.get(receiptCookieName(slug))?.value);
  if (!view) notFound();
  const now = Date.now();
  const summary: ClosedLinkSummary = {
    title: view.title,
    creator: view.creator,
    expiresAt: view.expiresAt,
    networkName: view.network.name,
  };

  if (!view.paid && view.state !== "active") {
    return (
      <PayFrame wide={false}>
        <div className="py-6 sm:py-12">
          <StateScreen state={view.state} summary={summary} />
        </div>
      </PayFrame>
    );
  }

  const panel = view.paid ? (
    <AlreadyPaid
      slug={view.slug}
      downloadUrl={view.paid.downloadUrl}
      expiresAt={view.paid.expiresAt}
      fileName={view.file.name}
      sizeLabel={view.file.sizeLabel}
    />
  ) : (
    <PanelLoader
      resume={jar.has(RECENT_WALLET_COOKIE)}
      slug={view.slug}
      title={view.title}
      amount={view.amount}
      price={view.price}
      network={view.network}
      payTo={view.payTo}
      file={view.file}
      expiresAt={view.expiresAt}
      accessSeconds={view.accessSeconds}
      paymentRequired={view.paymentRequired!}
    />
  );

  const page = (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4 pt-1 lg:grid-cols-[minmax(0,1fr)_400px] lg:items-start lg:gap-6 lg:pt-6">
      <div className="lg:col-start-1 lg:row-start-1">
        <Summary view={view} now={now} />
      </div>
      <section
        aria-labelledby="panel-title"
        className="rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-6 lg:sticky lg:top-6 lg:col-start-2 lg:row-span-3 lg:row-start-1 dark:border-zinc-800 dark:bg-zinc-900"
      >
        <h2 id="panel-title" className="mb-3 text-base font-semibold">
          {view.paid ? "Your purchase" : "Pay with your wallet"}
        </h2>
        {panel}
      </section>
      <div className="lg:col-start-1 lg:row-start-2">
        <Details view={view} />
      </div>
      {view.paid ? null : (
        <div className="lg:col-start-1 lg:row-start-3">
          <PayFromCode view={view} />
        </div>
      )}
    </div>
  );

  return (
    <PayFrame>
      {view.paid ? (
        page
      ) : (
        <PayShell
          expiresAt={view.expiresAt}
          screens={{
            expired: <StateScreen state="expired" summary={summary} />,
            revoked: <StateScreen state="revoked" summary={summary} />,
            sold_out: <StateScreen state="sold_out" summary={summary} />,
            object_gone: <StateScreen state="object_gone" summary={summary} />,
          }}
        >
          {page}
        </PayShell>
      )}
    </PayFrame>
  );
}
