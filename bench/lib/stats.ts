/** Small statistics helpers for the benchmarks: medians and percentiles over raw samples. */

/**
 * The `p`-th percentile (0–100) of `values` by linear interpolation between closest ranks.
 * @throws Error when `values` is empty.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of an empty sample");
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

/** The median of `values` (throws on an empty sample). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Milliseconds elapsed since `t0` (a `performance.now()` reading). */
export function since(t0: number): number {
  return performance.now() - t0;
}
