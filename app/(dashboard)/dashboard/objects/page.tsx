import type { Metadata } from "next";
import { ObjectsPage } from "@/components/dashboard/objects/objects-page";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Objects" };

/** The creator's objects and uploads. The upload limit comes from the server's MAX_UPLOAD_BYTES. */
export default function Page() {
  const max = env().MAX_UPLOAD_BYTES;
  return <ObjectsPage maxUploadBytes={Number(max > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : max)} />;
}
