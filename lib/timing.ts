/**
 * Spans for the `Server-Timing` response header (W3C Server Timing), so that Vend's own time can
 * be told apart from facilitator verify/settle time from the outside (the benchmarks read it).
 */
export class Timings {
  private readonly start = performance.now();
  private readonly spans: { name: string; ms: number }[] = [];

  /** Runs `fn`, recording its duration under `name`. */
  async span<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.spans.push({ name, ms: performance.now() - t0 });
    }
  }

  /**
   * `name;dur=ms, …, total;dur=ms`: one entry per span name (repeated spans, such as several
   * database round trips, are summed), durations in milliseconds to 0.01 ms.
   */
  header(): string {
    const sums = new Map<string, number>();
    for (const s of this.spans) sums.set(s.name, (sums.get(s.name) ?? 0) + s.ms);
    sums.set("total", performance.now() - this.start);
    return [...sums].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`).join(", ");
  }
}
