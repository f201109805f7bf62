"use client";

import { useEffect, useState, type ReactNode } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui/button";
import { CheckIcon, CopyIcon } from "@/components/ui/icons";
import { useToast } from "@/components/ui/toast";

/** Copies text: the async Clipboard API, or a hidden textarea + `execCommand` where it is missing. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      // Fall through (permissions policy, non-secure context).
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy failed");
}

/**
 * A copy button: an icon (with an accessible `label`) or a labelled button. It flips to a check
 * mark for two seconds and, with `toastMessage`, confirms with a toast.
 */
export function CopyButton({
  value,
  label,
  children,
  toastMessage,
  variant = "ghost",
  size,
  className,
}: {
  value: string;
  /** Accessible name, e.g. "Copy link URL". */
  label: string;
  /** Visible text; without it the button is an icon. */
  children?: ReactNode;
  toastMessage?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
}) {
  const [copied, setCopied] = useState(false);
  const toast = useToast();
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <Button
      variant={variant}
      size={size ?? (children ? "sm" : "icon-sm")}
      className={className}
      aria-label={label}
      title={label}
      data-copied={copied || undefined}
      onClick={async (e) => {
        e.stopPropagation();
        try {
          await copyText(value);
          setCopied(true);
          if (toastMessage) toast.success(toastMessage);
        } catch {
          toast.error("Could not copy", "Select the text and copy it manually.");
        }
      }}
    >
      {copied ? <CheckIcon className="text-emerald-600 dark:text-emerald-400" /> : <CopyIcon />}
      {children && <span>{copied ? "Copied" : children}</span>}
      <span className="sr-only" aria-live="polite">
        {copied ? "Copied" : ""}
      </span>
    </Button>
  );
}
