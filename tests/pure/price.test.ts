import { describe, expect, it } from "vitest";
import { parsePrice, PRICE_ERROR_MESSAGES } from "@/lib/money";

describe("parsePrice", () => {
  it("parses decimal USDC into atomic units", () => {
    expect(parsePrice("0.01")).toEqual({ ok: true, amount: 10_000n });
    expect(parsePrice(" 1500 ")).toEqual({ ok: true, amount: 1_500_000_000n });
    expect(parsePrice("2.5")).toEqual({ ok: true, amount: 2_500_000n });
  });

  it("refuses thousands separators and decimal commas instead of guessing", () => {
    for (const input of ["1,500", "1,500.00", "0,25", "1 500", "1'500", "1_500", "1\u00a0500"]) {
      expect(parsePrice(input)).toEqual({ ok: false, error: "separator" });
    }
    expect(PRICE_ERROR_MESSAGES.separator).toMatch(/1500 or 0\.25/);
  });

  it("names every other mistake", () => {
    expect(parsePrice("abc")).toEqual({ ok: false, error: "format" });
    expect(parsePrice("1.")).toEqual({ ok: false, error: "format" });
    expect(parsePrice("0.0000001")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(parsePrice("0")).toEqual({ ok: false, error: "not_positive" });
  });
});
