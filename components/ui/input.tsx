import { forwardRef, useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/components/ui/cn";

const control =
  "block w-full rounded-lg border bg-white px-3 text-sm text-zinc-900 shadow-sm transition-colors placeholder:text-zinc-400 " +
  "focus:outline-none focus-visible:border-indigo-500 focus-visible:ring-2 focus-visible:ring-indigo-500/30 " +
  "disabled:cursor-not-allowed disabled:opacity-60 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500 " +
  "aria-invalid:border-red-500 aria-invalid:focus-visible:ring-red-500/30";
const normalBorder = "border-zinc-300 dark:border-zinc-700";

/** Text input. Pair with {@link Field} for a label, hint and error. */
export const Input = forwardRef<HTMLInputElement, ComponentProps<"input">>(function Input({ className, ...props }, ref) {
  return <input ref={ref} className={cn(control, normalBorder, "h-10", className)} {...props} />;
});

export const Textarea = forwardRef<HTMLTextAreaElement, ComponentProps<"textarea">>(function Textarea(
  { className, ...props },
  ref,
) {
  return <textarea ref={ref} className={cn(control, normalBorder, "min-h-20 py-2", className)} {...props} />;
});

export const Select = forwardRef<HTMLSelectElement, ComponentProps<"select">>(function Select({ className, ...props }, ref) {
  return <select ref={ref} className={cn(control, normalBorder, "h-10 pr-8", className)} {...props} />;
});

/** The ids a field gives its control (label `htmlFor`, `aria-describedby`, `aria-invalid`). */
export type FieldControl = { id: string; "aria-describedby"?: string; "aria-invalid"?: true };

/**
 * A labelled form field. The control is rendered by `children(control)` so it gets the id,
 * `aria-describedby` (hint and error) and `aria-invalid`; the error is announced (`role=alert`).
 */
export function Field({
  label,
  hint,
  error,
  optional,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  optional?: boolean;
  className?: string;
  children: (control: FieldControl) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("min-w-0 space-y-1.5", className)}>
      <label htmlFor={id} className="flex items-baseline gap-2 text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
        {optional && <span className="text-xs font-normal text-zinc-500">Optional</span>}
      </label>
      {children({ id, "aria-describedby": describedBy, ...(error ? { "aria-invalid": true as const } : {}) })}
      {hint && (
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
