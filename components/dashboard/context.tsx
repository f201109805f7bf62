"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { ClientNetwork } from "@/lib/wagmi";

type DashboardContextValue = {
  /** The signed-in creator's checksummed address. */
  address: `0x${string}`;
  /** Networks configured on this server (links can be created on these). */
  networks: ClientNetwork[];
};

const DashboardContext = createContext<DashboardContextValue | null>(null);

/** Session facts the server layout already knows, shared with every dashboard page. */
export function DashboardProvider({ value, children }: { value: DashboardContextValue; children: ReactNode }) {
  return <DashboardContext.Provider value={value}>{children}</DashboardContext.Provider>;
}

export function useDashboard(): DashboardContextValue {
  const value = useContext(DashboardContext);
  if (!value) throw new Error("useDashboard outside the dashboard layout");
  return value;
}

/** The display name of a CAIP-2 network id, falling back to the id. */
export function useNetworkName(): (id: string) => string {
  const { networks } = useDashboard();
  return (id) => networks.find((n) => n.id === id)?.name ?? id;
}
