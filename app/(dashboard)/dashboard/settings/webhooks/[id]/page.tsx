import type { Metadata } from "next";
import { EndpointPage } from "@/components/dashboard/webhooks/endpoint-page";

export const metadata: Metadata = { title: "Webhook endpoint" };

/** One webhook endpoint: settings, secret rotation, test event, delivery log. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EndpointPage id={id} />;
}
