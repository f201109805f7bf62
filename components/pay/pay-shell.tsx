"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { PayState } from "@/lib/pay/types";

type ClosedState = Exclude<PayState, "active" | "unavailable">;

type Shell = {
  /** Marks a payment in progress or done: the page then never swaps to a closed screen by itself. */
  setBusy(busy: boolean): void;
  /** Swaps the page to a closed screen (the purchase API answered 410). */
  close(state: ClosedState): void;
};

const ShellContext = createContext<Shell>({ setBusy() {}, close() {} });

/** The page shell's controls, for the wallet panel. */
export function usePayShell(): Shell {
  return useContext(ShellContext);
}

/**
 * Client shell around an active link's page: when the link's expiry passes while the page is open
 * (and no payment is under way or done), or the purchase API says the link closed, it replaces the
 * page with the matching server-rendered closed screen — what a reload would show.
 */
export function PayShell({
  expiresAt,
  screens,
  children,
}: {
  expiresAt: string;
  screens: Record<ClosedState, React.ReactNode>;
  children: React.ReactNode;
}) {
  const [closed, setClosed] = useState<ClosedState | null>(null);
  const [expired, setExpired] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const end = new Date(expiresAt).getTime();
    const check = () => {
      if (Date.now() >= end) {
        setExpired(true);
        return true;
      }
      return false;
    };
    if (check()) return;
    // Timers are clamped to ~24.8 days; re-check at most every minute until close, then exactly.
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const left = end - Date.now();
      timer = setTimeout(() => (check() ? undefined : schedule()), Math.min(Math.max(left, 0) + 50, 60_000));
    };
    schedule();
    return () => clearTimeout(timer);
  }, [expiresAt]);

  const close = useCallback((state: ClosedState) => setClosed(state), []);
  const value = useMemo(() => ({ setBusy, close }), [setBusy, close]);

  const shown = closed ?? (expired && !busy ? "expired" : null);
  if (shown) return <div className="py-6 sm:py-12">{screens[shown]}</div>;
  return <ShellContext.Provider value={value}>{children}</ShellContext.Provider>;
}
