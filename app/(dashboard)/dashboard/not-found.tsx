import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { HomeIcon, LinkIcon, SearchIcon } from "@/components/ui/icons";
import { PageHeader } from "@/components/dashboard/shell";

export const metadata: Metadata = { title: "Page not found" };

/** A dashboard path that does not exist (404), shown inside the dashboard with the way back. */
export default function DashboardNotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <Card>
        <EmptyState
          icon={<SearchIcon size={18} />}
          title="There is no page at this address"
          description="It may have been mistyped, or the link that brought you here is out of date."
          action={
            <div className="flex flex-wrap justify-center gap-2">
              <ButtonLink href="/dashboard" variant="primary" size="sm">
                <HomeIcon /> Overview
              </ButtonLink>
              <ButtonLink href="/dashboard/links" size="sm">
                <LinkIcon /> Links
              </ButtonLink>
            </div>
          }
        />
      </Card>
    </>
  );
}
