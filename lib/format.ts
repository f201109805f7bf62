import { formatUnits } from "viem";
import { USDC_DECIMALS } from "@/lib/money";

/**
 * The one place that turns numbers into text for people: USDC amounts, byte sizes, durations, dates,
 * addresses and file kinds. Used by the dashboard, the pay page and its Open Graph image, on the
 * server and in the browser (no I/O, no secrets), so a link shows the same figures to its creator
 * and its buyers. Wording is English with a fixed locale (`en-US`), so a server render and the
 * browser's agree; only the time zone of a date depends on where it is formatted, and it is always
 * printed.
 *
 * The API edge keeps its own machine format (`lib/money.ts`: `"0.25"` decimal strings); these
 * functions are for display only.
 */

const LOCALE = "en-US";

/**
 * Atomic units (bigint or its decimal string) → `"1,234.50"`, exact (viem's `formatUnits`, never a
 * float). One rule for trailing zeros: at least two fraction digits, more only when the amount has
 * them (`2500000n` → `"2.50"`, `1000n` → `"0.001"`, `1_000_000_000n` → `"1,000.00"`).
 */
export function formatMoney(atomic: bigint | string, decimals: number = USDC_DECIMALS): string {
  const value = formatUnits(BigInt(atomic), decimals);
  const negative = value.startsWith("-");
  const [int = "0", fraction = ""] = (negative ? value.slice(1) : value).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const digits = decimals >= 2 ? fraction.padEnd(2, "0") : fraction;
  return `${negative ? "-" : ""}${grouped}${digits ? `.${digits}` : ""}`;
}

/** Atomic units → `"1,234.50 USDC"` (see {@link formatMoney}). */
export function formatUsdc(atomic: bigint | string, decimals: number = USDC_DECIMALS): string {
  return `${formatMoney(atomic, decimals)} USDC`;
}

const BYTE_UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/**
 * A size in bytes (number, bigint or decimal string) in binary units, labelled as such:
 * `"532 bytes"`, `"146 KiB"`, `"76.3 MiB"`, `"2 GiB"` — one decimal under 100, none above.
 */
export function formatBytes(size: bigint | number | string): string {
  const bytes = Number(size);
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  let unit = 0;
  let value = bytes / 1024;
  const shown = (v: number) => (v >= 99.95 ? Math.round(v) : Math.round(v * 10) / 10);
  while (unit < BYTE_UNITS.length - 1 && shown(value) >= 1024) {
    value /= 1024;
    unit++;
  }
  return `${shown(value)} ${BYTE_UNITS[unit]}`;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

const UNIT_SECONDS: [number, string][] = [
  [86_400, "day"],
  [3600, "hour"],
  [60, "minute"],
  [1, "second"],
];

/**
 * The length of a window (a link's access after purchase, an offer's validity) in words, its two
 * largest units: `86400` → `"1 day"`, `5400` → `"1 hour 30 minutes"`, `45` → `"45 seconds"`.
 */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [size, name] of UNIT_SECONDS) {
    if (rest >= size && parts.length < 2) {
      parts.push(plural(Math.floor(rest / size), name));
      rest %= size;
    } else if (parts.length) break;
  }
  return parts.length ? parts.join(" ") : "0 seconds";
}

const toMs = (at: string | Date | number) => new Date(at).getTime();

/**
 * Time left until `until`, counted down (never rounded up), in one wording everywhere:
 * `"6 days left"` (from 2 days), `"47 hours left"`, `"12 minutes left"`, `"45 seconds left"`,
 * `"0 seconds left"` once past.
 */
export function formatTimeLeft(until: string | Date | number, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.floor((toMs(until) - now) / 1000));
  if (seconds >= 2 * 86_400) return `${plural(Math.floor(seconds / 86_400), "day")} left`;
  if (seconds >= 3600) return `${plural(Math.floor(seconds / 3600), "hour")} left`;
  if (seconds >= 60) return `${plural(Math.floor(seconds / 60), "minute")} left`;
  return `${plural(seconds, "second")} left`;
}

const relative = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });

/** How long ago `at` was: `"just now"`, `"3 minutes ago"`, `"yesterday"`, `"2 months ago"`. */
export function formatTimeAgo(at: string | Date | number, now: number = Date.now()): string {
  const seconds = Math.round((now - toMs(at)) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 45 * 60) return relative.format(-Math.round(seconds / 60), "minute");
  if (seconds < 22 * 3600) return relative.format(-Math.round(seconds / 3600), "hour");
  if (seconds < 26 * 86_400) return relative.format(-Math.round(seconds / 86_400), "day");
  if (seconds < 320 * 86_400) return relative.format(-Math.round(seconds / (30 * 86_400)), "month");
  return relative.format(-Math.round(seconds / (365 * 86_400)), "year");
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A moment as date, time and time zone: `"Nov 21, 2026, 7:45 AM UTC"`. In the viewer's time zone
 * in the browser; pass `timeZone` (e.g. `"UTC"`) where the viewer's is unknown (server renders).
 */
export function formatDateTime(at: string | Date | number, timeZone?: string): string {
  const key = timeZone ?? "";
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
      timeZone,
    });
    dateTimeFormats.set(key, format);
  }
  return format.format(new Date(at));
}

const dayFormat = new Intl.DateTimeFormat(LOCALE, { month: "short", day: "numeric", timeZone: "UTC" });

/** A calendar day `"2026-05-12"` → `"May 12"` (a date without a time, so no time zone applies). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return dayFormat.format(new Date(Date.UTC(y, m - 1, d)));
}

/** A long id or hash shortened in the middle: `shortId(hash, 10, 8)` → `"0x1234ab…cdef1234"`. */
export function shortId(id: string, head = 6, tail = 4): string {
  return id.length > head + tail + 1 ? `${id.slice(0, head)}…${id.slice(-tail)}` : id;
}

/** An address shortened, keeping its checksum casing: `"0xf39F…2266"`. */
export function shortAddress(address: string | null | undefined): string {
  return address ? shortId(address, 6, 4) : "";
}

const KINDS: Record<string, string> = {
  "application/pdf": "PDF",
  "application/zip": "ZIP archive",
  "application/x-zip-compressed": "ZIP archive",
  "application/gzip": "Gzip archive",
  "application/x-tar": "Tar archive",
  "application/json": "JSON",
  "application/epub+zip": "EPUB e-book",
  "application/octet-stream": "File",
  "text/plain": "Text",
  "text/csv": "CSV",
  "text/markdown": "Markdown",
  "text/html": "HTML",
};

/** A short human kind for a content type: `"PDF"`, `"PNG image"`, `"MP4 video"`, else the file's extension. */
export function describeType(contentType: string, fileName?: string): string {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (KINDS[type] && !(type === "application/octet-stream" && fileName && /\.\w{1,8}$/.test(fileName))) {
    return KINDS[type]!;
  }
  const [top, sub = ""] = type.split("/");
  const label = sub.replace(/^(x-|vnd\.)/, "").split(/[+.]/)[0]!.toUpperCase();
  if (top === "image") return `${label} image`;
  if (top === "video") return `${label} video`;
  if (top === "audio") return `${label} audio`;
  const ext = fileName?.match(/\.(\w{1,8})$/)?.[1];
  if (ext) return `${ext.toUpperCase()} file`;
  return label || "File";
}
