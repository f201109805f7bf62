import type { Metadata } from "next";
import { Suspense } from "react";
import { LinksPage } from "@/components/dashboard/links/links-page";

export const metadata: Metadata = { title: "Links" };

/** The creator's payment links. */
export default function Page() {
  return (
    <Suspense>
      <LinksPage />
    </Suspense>
  );
}
