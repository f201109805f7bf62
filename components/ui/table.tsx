import type { ComponentProps } from "react";
import { cn } from "@/components/ui/cn";

/** A table that scrolls sideways inside its card on narrow screens. */
export function Table({ className, ...props }: ComponentProps<"table">) {
  return (
    <div className="overflow-x-auto">
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props} />
    </div>
  );
}

export function THead(props: ComponentProps<"thead">) {
  return <thead className="border-b border-zinc-200 bg-zinc-50/70 dark:border-zinc-800 dark:bg-zinc-900/60" {...props} />;
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
  return <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800" {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("transition-colors hover:bg-zinc-50/80 dark:hover:bg-zinc-800/40", className)} {...props} />;
}

export function TD({ className, ...props }: ComponentProps<"td">) {
  return <td className={cn("h-14 px-4 py-2 align-middle first:pl-4 sm:first:pl-5 last:pr-4 sm:last:pr-5", className)} {...props} />;
}
