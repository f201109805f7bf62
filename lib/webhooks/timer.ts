import "server-only";
import { runWebhooks } from "@/lib/webhooks/run";

/** How often a long-lived server looks for due deliveries. */
const TICK_MS = 1_000;
/** How often it sweeps link expiries. */
const SWEEP_MS = 10_000;

const state = globalThis as typeof globalThis & { __vendWebhookTimer?: NodeJS.Timeout };

/**
 * Delivers webhooks in-process on a long-lived server (started from instrumentation.ts): every
 * second, the due deliveries (claimed with SKIP LOCKED, so every instance can run this); every
 * 10 s, the link-expiry sweep. One round at a time; errors are logged and the next tick retries.
 * On Vercel, `GET /api/cron/webhooks` does this instead.
 */
export function startWebhookTimer(): void {
  if (state.__vendWebhookTimer) return;
  let running = false;
  let lastSweep = 0;
  state.__vendWebhookTimer = setInterval(() => {
    if (running) return;
    running = true;
    const sweep = Date.now() - lastSweep >= SWEEP_MS;
    if (sweep) lastSweep = Date.now();
    runWebhooks({ budgetMs: 30_000, sweep })
      .catch((error: unknown) => console.error("[vend] webhook delivery failed; retrying next tick", error))
      .finally(() => {
        running = false;
      });
  }, TICK_MS);
  state.__vendWebhookTimer.unref();
}
