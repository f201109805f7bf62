import { describe, expect, it } from "vitest";
import {
  describeType,
  formatBytes,
  formatDateTime,
  formatDay,
  formatDuration,
  formatMoney,
  formatTimeAgo,
  formatTimeLeft,
  formatUsdc,
  shortAddress,
  shortId,
} from "@/lib/format";

describe("formatMoney / formatUsdc", () => {
  it("keeps two fraction digits, more only when the amount has them", () => {
    expect(formatUsdc(2_500_000n)).toBe("2.50 USDC");
    expect(formatUsdc(2_000_000n)).toBe("2.00 USDC");
    expect(formatUsdc(10_000n)).toBe("0.01 USDC");
    expect(formatUsdc(1_000n)).toBe("0.001 USDC");
    expect(formatUsdc(1_234_567n)).toBe("1.234567 USDC");
    expect(formatUsdc(0n)).toBe("0.00 USDC");
  });

  it("groups thousands and is exact beyond 2^53", () => {
    expect(formatMoney(1_500_000_000n)).toBe("1,500.00");
    expect(formatMoney("123456789012345678901234")).toBe("123,456,789,012,345,678.901234");
    expect(formatMoney(-2_500_000n)).toBe("-2.50");
  });

  it("follows the asset's decimals", () => {
    expect(formatMoney(25n, 1)).toBe("2.5");
    expect(formatMoney(7n, 0)).toBe("7");
    expect(formatMoney(10n ** 18n, 18)).toBe("1.00");
  });
});

describe("formatBytes", () => {
  it("uses binary units labelled as such", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(1023)).toBe("1023 bytes");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(150_000)).toBe("146 KiB");
    expect(formatBytes(80_000_000n)).toBe("76.3 MiB");
    expect(formatBytes("2147483648")).toBe("2 GiB");
    expect(formatBytes(500 * 1024 * 1024)).toBe("500 MiB");
  });

  it("moves up a unit when rounding reaches 1024", () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe("1 MiB");
    expect(formatBytes(1023.9 * 1024)).toBe("1 MiB");
  });
});

describe("durations", () => {
  it("gives a window's length in its two largest units", () => {
    expect(formatDuration(86_400)).toBe("1 day");
    expect(formatDuration(7 * 86_400)).toBe("7 days");
    expect(formatDuration(3600)).toBe("1 hour");
    expect(formatDuration(5400)).toBe("1 hour 30 minutes");
    expect(formatDuration(90_000)).toBe("1 day 1 hour");
    expect(formatDuration(86_460)).toBe("1 day");
    expect(formatDuration(300)).toBe("5 minutes");
    expect(formatDuration(45)).toBe("45 seconds");
  });

  it("counts time left down in one wording, never rounding up", () => {
    const now = Date.UTC(2026, 0, 1);
    const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();
    expect(formatTimeLeft(at(7 * 86_400 - 60), now)).toBe("6 days left");
    expect(formatTimeLeft(at(2 * 86_400), now)).toBe("2 days left");
    expect(formatTimeLeft(at(2 * 86_400 - 1), now)).toBe("47 hours left");
    expect(formatTimeLeft(at(3600), now)).toBe("1 hour left");
    expect(formatTimeLeft(at(3599), now)).toBe("59 minutes left");
    expect(formatTimeLeft(at(61), now)).toBe("1 minute left");
    expect(formatTimeLeft(at(5), now)).toBe("5 seconds left");
    expect(formatTimeLeft(at(-10), now)).toBe("0 seconds left");
  });

  it("says how long ago", () => {
    const now = Date.UTC(2026, 0, 10);
    expect(formatTimeAgo(now - 10_000, now)).toBe("just now");
    expect(formatTimeAgo(now - 3 * 60_000, now)).toBe("3 minutes ago");
    expect(formatTimeAgo(now - 86_400_000, now)).toBe("yesterday");
    expect(formatTimeAgo(now - 3 * 86_400_000, now)).toBe("3 days ago");
  });
});

describe("dates", () => {
  it("always prints the time zone", () => {
    expect(formatDateTime("2026-11-21T07:45:00Z", "UTC")).toBe("Nov 21, 2026, 7:45 AM UTC");
    expect(formatDateTime("2026-11-21T07:45:00Z", "America/New_York")).toBe("Nov 21, 2026, 2:45 AM EST");
    expect(formatDateTime(new Date("2026-11-21T07:45:00Z"))).toMatch(/^Nov 2\d, 2026, \d{1,2}:\d\d [AP]M \S+/);
  });

  it("prints a calendar day without shifting it", () => {
    expect(formatDay("2026-05-12")).toBe("May 12");
    expect(formatDay("2026-01-01")).toBe("Jan 1");
  });
});

describe("ids and kinds", () => {
  it("shortens in the middle", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
    expect(shortAddress(null)).toBe("");
    expect(shortId(`0x${"ab".repeat(32)}`, 10, 8)).toBe("0xabababab…abababab");
    expect(shortId("short")).toBe("short");
  });

  it("names a content type", () => {
    expect(describeType("application/pdf")).toBe("PDF");
    expect(describeType("image/png")).toBe("PNG image");
    expect(describeType("application/octet-stream", "notes.md")).toBe("MD file");
    expect(describeType("application/octet-stream")).toBe("File");
  });
});
