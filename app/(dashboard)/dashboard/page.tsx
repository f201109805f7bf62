import type { Metadata } from "next";
import { OverviewPage } from "@/components/dashboard/overview-page";

export const metadata: Metadata = { title: "Overview" };

/** Dashboard home. */
export default function Page() {
  return <OverviewPage />;
}
