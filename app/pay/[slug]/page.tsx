import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AppError } from "@/lib/errors";
import { formatUsdc } from "@/lib/money";
import { getNetwork } from "@/lib/networks";
import { linkState, loadLinkForSale } from "@/lib/purchases/sale";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ slug: string }> };

async function load(slug: string) {
  try {
    return await loadLinkForSale(slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const link = await load((await params).slug);
  const title = link.title ?? link.object.name;
  return { title, description: `${formatUsdc(link.amount)} · ${link.description ?? link.object.name}` };
}

/** The buyer page of a link: its public details (the wallet panel is built on top of this). */
export default async function PayPage({ params }: Props) {
  const link = await load((await params).slug);
  const state = linkState(link);
  const network = getNetwork(link.network);
  return (
    <main className="mx-auto max-w-lg px-6 py-16">
      <h1 className="text-2xl font-semibold">{link.title ?? link.object.name}</h1>
      {link.description && <p className="mt-2 text-zinc-600 dark:text-zinc-400">{link.description}</p>}
      <dl className="mt-6 grid grid-cols-2 gap-2 text-sm">
        <dt className="text-zinc-500">Price</dt>
        <dd data-testid="price">{formatUsdc(link.amount)}</dd>
        <dt className="text-zinc-500">Network</dt>
        <dd>{network?.name ?? link.network}</dd>
        <dt className="text-zinc-500">File</dt>
        <dd>{link.object.name}</dd>
        <dt className="text-zinc-500">Status</dt>
        <dd data-testid="status">{state}</dd>
      </dl>
    </main>
  );
}
