import { cn } from "@/components/ui/cn";

/** A pulsing placeholder with the size of the content it stands for (no layout shift). */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cn("block animate-pulse rounded-md bg-zinc-200/80 dark:bg-zinc-800", className)} />;
}

/** Skeleton rows for a table while it loads; announced once to screen readers. */
export function TableSkeleton({ rows = 5, columns = 5 }: { rows?: number; columns?: number }) {
  return (
    <div role="status" aria-label="Loading" className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {Array.from({ length: rows }, (_, r) => (
        <div key={r} className="flex h-14 items-center gap-4 px-4 sm:px-5">
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className={cn("h-4", c === 0 ? "w-40 flex-none" : "hidden flex-1 sm:block")} />
          ))}
        </div>
      ))}
    </div>
  );
}
