"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, ApiError, qs } from "@/components/dashboard/api";
import type { ApiKeyItem, LinkDetail, LinkItem, LinkStatus, ObjectItem, SalesResponse, SettingsData } from "@/components/dashboard/types";

/** Query keys: one prefix per resource, so a mutation can invalidate everything under it. */
export const keys = {
  objects: ["objects"] as const,
  links: ["links"] as const,
  link: (id: string) => ["links", "detail", id] as const,
  sales: ["sales"] as const,
  apiKeys: ["api-keys"] as const,
  settings: ["settings"] as const,
};

export function useObjects(params: { q?: string; cursor?: string; limit?: number }) {
  return useQuery({
    queryKey: [...keys.objects, params],
    queryFn: () => api<{ objects: ObjectItem[]; nextCursor: string | null }>(`/api/objects${qs(params)}`),
    placeholderData: keepPreviousData,
  });
}

export function useLinks(params: { status?: LinkStatus; objectId?: string; cursor?: string; limit?: number }, enabled = true) {
  return useQuery({
    queryKey: [...keys.links, "list", params],
    queryFn: () => api<{ links: LinkItem[]; nextCursor: string | null }>(`/api/links${qs(params)}`),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useLink(id: string) {
  return useQuery({
    queryKey: keys.link(id),
    queryFn: () => api<LinkDetail>(`/api/links/${encodeURIComponent(id)}`),
    refetchInterval: 20_000,
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
}

export type SalesFilterParams = { linkId?: string; network?: string; from?: string; to?: string };

/** The browser's IANA time zone: day buckets are cut in the creator's days. */
export function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

export function useSales(params: SalesFilterParams & { cursor?: string; limit?: number }) {
  return useQuery({
    queryKey: [...keys.sales, params],
    queryFn: () => api<SalesResponse>(`/api/sales${qs({ ...params, tz: timeZone() })}`),
    placeholderData: keepPreviousData,
    // New sales settle while the page is open: refresh quietly (only while the tab is visible).
    refetchInterval: 20_000,
  });
}

export function useApiKeys() {
  return useQuery({ queryKey: keys.apiKeys, queryFn: () => api<{ keys: ApiKeyItem[] }>("/api/keys") });
}

export function useSettings() {
  return useQuery({ queryKey: keys.settings, queryFn: () => api<SettingsData>("/api/settings") });
}
