"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, ApiError, qs } from "@/components/dashboard/api";
import type { Jsonify } from "@/components/dashboard/types";
import type { DeliveryJson } from "@/lib/webhooks/delivery-json";
import type { EndpointDetail } from "@/lib/webhooks/get-endpoint";
import type { EndpointJson } from "@/lib/webhooks/endpoint-json";

export type EndpointItem = Jsonify<EndpointJson> & { deliveries: { pending: number; succeeded: number; failed: number } };
export type EndpointDetailItem = Jsonify<EndpointDetail>;
export type DeliveryItem = Jsonify<DeliveryJson>;
export type DeliveryStatus = DeliveryItem["status"];
/** What the API returns once, at creation and rotation. */
export type EndpointWithSecret = Jsonify<EndpointJson> & { secret: string };

export const webhookKeys = {
  all: ["webhooks"] as const,
  endpoint: (id: string) => ["webhooks", "endpoint", id] as const,
  deliveries: (id: string) => ["webhooks", "deliveries", id] as const,
};

export function useEndpoints() {
  return useQuery({
    queryKey: webhookKeys.all,
    queryFn: () => api<{ endpoints: EndpointItem[]; eventTypes: string[] }>("/api/webhooks"),
  });
}

export function useEndpoint(id: string) {
  return useQuery({
    queryKey: webhookKeys.endpoint(id),
    queryFn: () => api<EndpointDetailItem>(`/api/webhooks/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (query.state.data?.deliveries.pending ? 2_000 : 20_000),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
}

/** The delivery log; refreshed every 2 s while something is pending, else every 20 s. */
export function useDeliveries(id: string, params: { status?: DeliveryStatus; cursor?: string }) {
  return useQuery({
    queryKey: [...webhookKeys.deliveries(id), params],
    queryFn: () => api<{ deliveries: DeliveryItem[]; nextCursor: string | null }>(`/api/webhooks/${encodeURIComponent(id)}/deliveries${qs(params)}`),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.status === "pending") ? 2_000 : 20_000),
  });
}
