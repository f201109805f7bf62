import type { Metadata } from "next";
import { Suspense } from "react";
import { NewLinkForm } from "@/components/dashboard/links/new-link-form";

export const metadata: Metadata = { title: "New link" };

/** Create a payment link (`?objectId=` preselects the object). */
export default function Page() {
  return (
    <Suspense>
      <NewLinkForm />
    </Suspense>
  );
}
