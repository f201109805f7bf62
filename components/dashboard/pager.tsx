"use client";

import { useCallback, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { ChevronLeftIcon, ChevronRightIcon } from "@/components/ui/icons";

/** Cursor pagination state: a stack of cursors, so "Previous" works without offsets. */
export function useCursorPages() {
  const [stack, setStack] = useState<string[]>([]);
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const prev = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  // Stable, and a no-op on the first page (so it is safe in effects).
  const reset = useCallback(() => setStack((s) => (s.length ? [] : s)), []);
  return useMemo(() => ({ cursor: stack.at(-1), page: stack.length + 1, next, prev, reset }), [stack, next, prev, reset]);
}

/** "Page 2 · Previous · Next" under a table. Hidden when there is a single page. */
export function Pager({
  page,
  hasNext,
  onPrev,
  onNext,
  busy,
}: {
  page: number;
  hasNext: boolean;
  onPrev: () => void;
  onNext: () => void;
  busy?: boolean;
}) {
  if (page === 1 && !hasNext) return null;
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between border-t border-zinc-200 px-4 py-3 sm:px-5 dark:border-zinc-800">
      <p className="text-sm text-zinc-500">Page {page}</p>
      <div className="flex gap-2">
        <Button size="sm" onClick={onPrev} disabled={page === 1 || busy}>
          <ChevronLeftIcon /> Previous
        </Button>
        <Button size="sm" onClick={onNext} disabled={!hasNext || busy}>
          Next <ChevronRightIcon />
        </Button>
      </div>
    </nav>
  );
}
