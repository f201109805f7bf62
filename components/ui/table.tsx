import type { ComponentProps } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A table on screens from `sm` up; on phones a list: the header row is hidden and each row is a
 * wrapping flex line (its cells become flex items), so nothing scrolls sideways. Cells hidden on
 * phones (`hidden sm:table-cell`) stay hidden; a row's first cell usually carries the details the
 * hidden columns show on wider screens. From `sm` up a table wider than its card scrolls inside it;
 * the wrapper is positioned so that visually hidden (absolutely positioned) text in the cells
 * stays inside it instead of widening the page.
 */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="relative sm:overflow-x-auto">
      <table className={cn("block w-full border-collapse text-left text-sm sm:table", className)} {...props} />
    </div>
  );
}

export function THead(props: ComponentProps<"thead">) {
  return <thead className="hidden border-b border-zinc-200 bg-zinc-50/70 sm:table-header-group dark:border-zinc-800 dark:bg-zinc-900/60" {...props} />;
}

export function TH({ className, ...props }: ComponentProps<"th">) {
  return (
    <th
      scope="col"
      className={cn("h-10 whitespace-nowrap px-4 text-xs font-medium uppercase tracking-wide text-zinc-500 first:pl-4 sm:first:pl-5 last:pr-4 sm:last:pr-5 dark:text-zinc-400", className)}
      {...props}
    />
  );
}

export function TBody(props: ComponentProps<"tbody">) {
  return <tbody className="block divide-y divide-zinc-100 sm:table-row-group dark:divide-zinc-800" {...props} />;
}

/** A row; on phones a flex line whose cells wrap (give the main cell `flex-1 min-w-0`). */
export function TR({ className, ...props }: ComponentProps<"tr">) {
  return (
    <tr
      className={cn(
        "flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 transition-colors hover:bg-zinc-50/80 sm:table-row sm:p-0 dark:hover:bg-zinc-800/40",
        className,
      )}
      {...props}
    />
  );
}

export function TD({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("min-w-0 align-middle sm:h-14 sm:px-4 sm:py-2 sm:first:pl-5 sm:last:pr-5", className)} {...props} />;
}
