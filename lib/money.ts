import { formatUnits, parseUnits } from "viem";

/** USDC (and the test USDC) have 6 decimals. */
export const USDC_DECIMALS = 6;

const DECIMAL_RE = /^(0|[1-9]\d*)(\.\d+)?$/;

export type PriceParseError = "format" | "too_many_decimals" | "not_positive";

/**
 * Parses a human USDC price ("0.01") into atomic units (10000n) with viem's `parseUnits`.
 * Returns an error kind instead of rounding: more than 6 decimals is rejected, not truncated.
 */
export function parsePrice(input: string): { ok: true; amount: bigint } | { ok: false; error: PriceParseError } {
  const value = input.trim();
  if (!DECIMAL_RE.test(value)) return { ok: false, error: "format" };
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > USDC_DECIMALS) return { ok: false, error: "too_many_decimals" };
  const amount = parseUnits(value, USDC_DECIMALS);
  if (amount <= 0n) return { ok: false, error: "not_positive" };
  return { ok: true, amount };
}

/** Atomic units → decimal string ("10000" → "0.01"), exact, for the API edge (display: lib/format.ts). */
export function formatAmount(amount: bigint, decimals: number = USDC_DECIMALS): string {
  return formatUnits(amount, decimals);
}
