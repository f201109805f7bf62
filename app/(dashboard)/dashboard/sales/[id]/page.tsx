import type { Metadata } from "next";
import { SaleDetailPage } from "@/components/dashboard/sales/sale-detail";

export const metadata: Metadata = { title: "Sale" };

/** One sale: the payment, and its refund. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <SaleDetailPage id={id} />;
}
