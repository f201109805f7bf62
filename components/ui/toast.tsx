"use client";

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { AlertIcon, CheckIcon, XIcon } from "@/components/ui/icons";

type Tone = "success" | "error" | "info";
type ToastItem = { id: number; tone: Tone; title: string; description?: string };
type ToastApi = {
  success: (title: string, description?: string) => void;
  error: (title: string, description?: string) => void;
  info: (title: string, description?: string) => void;
};

const ToastContext = createContext<ToastApi | null>(null);

/** Toasts for the outcome of actions: announced politely (errors assertively), auto-dismissed. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setItems((all) => all.filter((t) => t.id !== id)), []);
  const push = useCallback(
    (tone: Tone, title: string, description?: string) => {
      const id = next.current++;
      setItems((all) => [...all.slice(-3), { id, tone, title, description }]);
      setTimeout(() => dismiss(id), tone === "error" ? 8000 : 4000);
    },
    [dismiss],
  );
  const api = useMemo<ToastApi>(
    () => ({
      success: (t, d) => push("success", t, d),
      error: (t, d) => push("error", t, d),
      info: (t, d) => push("info", t, d),
    }),
    [push],
  );
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end">
        <div aria-live="polite" role="status" className="contents">
          {items.filter((t) => t.tone !== "error").map((t) => <ToastView key={t.id} item={t} onDismiss={dismiss} />)}
        </div>
        <div aria-live="assertive" role="alert" className="contents">
          {items.filter((t) => t.tone === "error").map((t) => <ToastView key={t.id} item={t} onDismiss={dismiss} />)}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  return (
    <div
      data-testid="toast"
      className={cn(
        "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-xl border bg-white p-3.5 text-sm shadow-lg dark:bg-zinc-900",
        item.tone === "error" ? "border-red-200 dark:border-red-900/60" : "border-zinc-200 dark:border-zinc-700",
      )}
    >
      <span
        className={cn(
          "mt-0.5 flex h-5 w-5 flex-none items-center justify-center rounded-full",
          item.tone === "success" && "bg-emerald-100 text-emerald-700 dark:bg-emerald-500/15 dark:text-emerald-400",
          item.tone === "error" && "bg-red-100 text-red-700 dark:bg-red-500/15 dark:text-red-400",
          item.tone === "info" && "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
        )}
      >
        {item.tone === "error" ? <AlertIcon size={13} /> : <CheckIcon size={13} />}
      </span>
      <div className="min-w-0 flex-1">
        <p className="font-medium text-zinc-900 dark:text-zinc-100">{item.title}</p>
        {item.description && <p className="mt-0.5 break-words text-zinc-600 dark:text-zinc-400">{item.description}</p>}
      </div>
      <button
        type="button"
        onClick={() => onDismiss(item.id)}
        aria-label="Dismiss"
        className="rounded p-0.5 text-zinc-400 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:text-zinc-200"
      >
        <XIcon size={14} />
      </button>
    </div>
  );
}

/** The toast API; a no-op outside the provider (e.g. the sign-in page). */
export function useToast(): ToastApi {
  return (
    useContext(ToastContext) ?? {
      success: () => {},
      error: () => {},
      info: () => {},
    }
  );
}
