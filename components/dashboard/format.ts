import { formatUnits } from "viem";

/**
 * Display formatting for the dashboard. Money is always formatted from atomic units (bigint or its
 * decimal string) with viem's `formatUnits` — exact, never through a float.
 */

/** Atomic units → "1,234.50": thousands grouped, at least 2 and at most `decimals` fraction digits. */
export function formatMoney(atomic: string | bigint, decimals = 6): string {
  const value = formatUnits(BigInt(atomic), decimals);
  const negative = value.startsWith("-");
  const [int = "0", frac = ""] = (negative ? value.slice(1) : value).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}.${frac.padEnd(2, "0")}`;
}

/** "1,234.50 USDC". */
export function formatUsdc(atomic: string | bigint, decimals = 6): string {
  return `${formatMoney(atomic, decimals)} USDC`;
}

/** `0xf39F…2266`. */
export function shortAddress(address: string | null | undefined): string {
  if (!address) return "";
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

/** A long id (DataItem id, hash) shortened in the middle. */
export function shortId(id: string, head = 6, tail = 4): string {
  return id.length > head + tail + 1 ? `${id.slice(0, head)}…${id.slice(-tail)}` : id;
}

/** Bytes (a decimal string, possibly beyond 2^53) → "1.4 MB" (binary multiples, as Drive and Gmail show them). */
export function formatBytes(size: string | number | bigint): string {
  const bytes = typeof size === "number" ? size : Number(size);
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB", "PB"];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, "")} ${units[i]}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const dateTimeZone = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZoneName: "short",
});
const dateOnly = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

/** "May 12, 2026, 2:05 PM" in the creator's time zone. */
export function formatDateTime(iso: string | Date, withZone = false): string {
  return (withZone ? dateTimeZone : dateTime).format(new Date(iso));
}

/** "May 12" for a `YYYY-MM-DD` day (calendar date, no time zone shift). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return dateOnly.format(new Date(y, m - 1, d));
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 minutes ago", "in 2 days". */
export function formatRelative(iso: string | Date, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), "minute");
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), "hour");
  if (abs < 26 * 86400) return relative.format(Math.round(seconds / 86400), "day");
  if (abs < 320 * 86400) return relative.format(Math.round(seconds / (30 * 86400)), "month");
  return relative.format(Math.round(seconds / (365 * 86400)), "year");
}

/** Compact time left until `iso`: "45m", "23h", "6d" (null when past). */
export function timeLeft(iso: string, now: number = Date.now()): string | null {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (seconds <= 0) return null;
  if (seconds < 3600) return `${Math.max(1, Math.floor(seconds / 60))}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** 86400 → "1 day", 3600 → "1 hour", 90 → "90 seconds". */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}
