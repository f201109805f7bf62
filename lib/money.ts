import { formatUnits, parseUnits } from "viem";

/** USDC (and the test USDC) have 6 decimals. */
export const USDC_DECIMALS = 6;

const DECIMAL_RE = /^(0|[1-9]\d*)(\.\d+)?$/;

/** Digits with a comma, an apostrophe, an underscore or a space between them: "1,500", "1 500", "0,25". */
const SEPARATOR_RE = /\d[,'_\s\u00a0\u202f]\d/;

export type PriceParseError = "separator" | "format" | "too_many_decimals" | "not_positive" | "too_large";

/** The largest amount a price column holds: PostgreSQL BIGINT, 2^63 − 1 atomic units. */
export const MAX_ATOMIC_AMOUNT = 2n ** 63n - 1n;

/** What each {@link PriceParseError} tells the person or client who typed the price (UI and API alike). */
export const PRICE_ERROR_MESSAGES: Record<PriceParseError, string> = {
  separator: "Use digits and a decimal point only, without thousands separators: 1500 or 0.25, not 1,500 or 0,25.",
  format: "Enter the price as a decimal number of USDC, like 5 or 0.25.",
  too_many_decimals: "USDC has 6 decimals: use at most 6 digits after the point.",
  not_positive: "The price must be greater than 0.",
  too_large: "The price is too large: at most 9223372036854.775807 USDC.",
};

/**
 * Parses a human USDC price ("0.01") into atomic units (10000n) with viem's `parseUnits`.
 * Returns an error kind instead of guessing or rounding: a thousands separator or decimal comma
 * ("1,500" could mean 1500 or 1.5) is refused, more than 6 decimals is rejected, not truncated, and
 * an amount that does not fit the database column is refused.
 */
export function parsePrice(input: string): { ok: true; amount: bigint } | { ok: false; error: PriceParseError } {
  const value = input.trim();
  if (SEPARATOR_RE.test(value)) return { ok: false, error: "separator" };
  if (!DECIMAL_RE.test(value)) return { ok: false, error: "format" };
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > USDC_DECIMALS) return { ok: false, error: "too_many_decimals" };
  const amount = parseUnits(value, USDC_DECIMALS);
  if (amount <= 0n) return { ok: false, error: "not_positive" };
  if (amount > MAX_ATOMIC_AMOUNT) return { ok: false, error: "too_large" };
  return { ok: true, amount };
}

/** Atomic units → decimal string ("10000" → "0.01"), exact, for the API edge (display: lib/format.ts). */
export function formatAmount(amount: bigint, decimals: number = USDC_DECIMALS): string {
  return formatUnits(amount, decimals);
}
