import type { Metadata } from "next";
import { LinkDetailPage } from "@/components/dashboard/links/link-detail";

export const metadata: Metadata = { title: "Link" };

/** One payment link: settings, sales, x402 requirements. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <LinkDetailPage id={id} />;
}
