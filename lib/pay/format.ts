/**
 * Small display helpers shared by the pay page's server and client parts (no secrets, no I/O).
 */

/** `0x1234…abcd` (keeps the checksum casing). */
export function shortAddress(address: string, chars = 4): string {
  if (address.length <= 2 + chars * 2 + 1) return address;
  return `${address.slice(0, 2 + chars)}…${address.slice(-chars)}`;
}

/** `0x1234ab…cdef12` for transaction hashes. */
export function shortHash(hash: string): string {
  return hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-8)}` : hash;
}

const UNITS = ["bytes", "KB", "MB", "GB", "TB"] as const;

/** Human file size in decimal units (what macOS and phones show): `1.2 MB`, `532 bytes`. */
export function formatBytes(size: bigint | number | string): string {
  let n = Number(size);
  if (!Number.isFinite(n) || n < 0) return "";
  if (n < 1000) return `${n} ${n === 1 ? "byte" : "bytes"}`;
  let unit = 0;
  while (n >= 1000 && unit < UNITS.length - 1) {
    n /= 1000;
    unit++;
  }
  return `${n >= 100 ? Math.round(n) : n.toFixed(1).replace(/\.0$/, "")} ${UNITS[unit]}`;
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

/** A short human kind for a content type: `PDF`, `PNG image`, `MP4 video`, else the subtype. */
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

/** A duration in words: `24 hours`, `7 days`, `30 minutes`. */
export function formatDuration(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (seconds % 86_400 === 0) return plural(seconds / 86_400, "day");
  if (seconds >= 86_400 && seconds % 3600 === 0 && seconds / 3600 > 48) return plural(Math.round(seconds / 86_400), "day");
  if (seconds % 3600 === 0) return plural(seconds / 3600, "hour");
  if (seconds >= 3600) return `${plural(Math.floor(seconds / 3600), "hour")} ${plural(Math.round((seconds % 3600) / 60), "minute")}`;
  return plural(Math.max(1, Math.round(seconds / 60)), "minute");
}

/**
 * Time left until `target` in words, coarse far away and to the second near the end:
 * `3 days`, `5 h 12 min`, `12:04` (under an hour), `0:00`.
 */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return "0:00";
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86_400);
  if (days >= 2) return `${days} days`;
  const hours = Math.floor(s / 3600);
  if (hours >= 1) return `${hours} h ${Math.floor((s % 3600) / 60)} min`;
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, "0")}`;
}

/** Absolute date-time in UTC for server rendering: `21 Nov 2026, 07:45 UTC`. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  const time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${date}, ${time} UTC`;
}

/**
 * Atomic token units → grouped decimal string, exact (no float): `1000000000n, 6` → `1,000`,
 * `250000n` → `0.25`, `1234567n` → `1.234567`.
 */
export function formatTokenAmount(atomic: bigint | string, decimals = 6): string {
  const value = BigInt(atomic);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = decimals > 0 ? (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "") : "";
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** A date-time in the viewer's locale and time zone (browser only): `22 Nov 2026, 07:09`. */
export function formatLocal(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
