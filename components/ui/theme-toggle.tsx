"use client";

import { useEffect, useState } from "react";
import { cn } from "@/components/ui/cn";
import { MonitorIcon, MoonIcon, SunIcon } from "@/components/ui/icons";

export type Theme = "light" | "dark" | "system";

/** localStorage key read by the no-flash script in `app/layout.tsx`. */
export const THEME_KEY = "vend-theme";

function apply(theme: Theme) {
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

/** Light / dark / system, as a three-way radio group; remembered in localStorage. */
export function ThemeToggle({ className }: { className?: string }) {
  const [theme, setTheme] = useState<Theme | null>(null);
  useEffect(() => {
    const saved = localStorage.getItem(THEME_KEY);
    setTheme(saved === "light" || saved === "dark" ? saved : "system");
  }, []);
  useEffect(() => {
    if (theme !== "system") return;
    const mq = matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply("system");
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, [theme]);
  const choose = (t: Theme) => {
    setTheme(t);
    if (t === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, t);
    apply(t);
  };
  const options: { value: Theme; label: string; icon: React.ReactNode }[] = [
    { value: "light", label: "Light theme", icon: <SunIcon size={14} /> },
    { value: "dark", label: "Dark theme", icon: <MoonIcon size={14} /> },
    { value: "system", label: "System theme", icon: <MonitorIcon size={14} /> },
  ];
  return (
    <div
      role="radiogroup"
      aria-label="Theme"
      className={cn("inline-flex rounded-lg border border-zinc-200 bg-zinc-50 p-0.5 dark:border-zinc-700 dark:bg-zinc-900", className)}
    >
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={theme === o.value}
          aria-label={o.label}
          title={o.label}
          onClick={() => choose(o.value)}
          className={cn(
            "flex h-7 w-8 items-center justify-center rounded-md text-zinc-500 transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
            theme === o.value
              ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-700 dark:text-zinc-100"
              : "hover:text-zinc-800 dark:hover:text-zinc-200",
          )}
        >
          {o.icon}
        </button>
      ))}
    </div>
  );
}
