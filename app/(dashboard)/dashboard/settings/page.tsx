import type { Metadata } from "next";
import { SettingsPage } from "@/components/dashboard/settings/settings-page";

export const metadata: Metadata = { title: "Settings" };

/** Link defaults, API keys, account. */
export default function Page() {
  return <SettingsPage />;
}
