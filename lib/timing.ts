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

  /** `name;dur=ms, …, total;dur=ms` with millisecond durations to 0.01 ms. */
  header(): string {
    const total = performance.now() - this.start;
    return [...this.spans, { name: "total", ms: total }].map((s) => `${s.name};dur=${s.ms.toFixed(2)}`).join(", ");
  }
}
