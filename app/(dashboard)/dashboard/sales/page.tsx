import type { Metadata } from "next";
import { Suspense } from "react";
import { SalesPage } from "@/components/dashboard/sales/sales-page";

export const metadata: Metadata = { title: "Sales" };

/** Every settled payment, with totals, chart and CSV export. */
export default function Page() {
  return (
    <Suspense>
      <SalesPage />
    </Suspense>
  );
}
