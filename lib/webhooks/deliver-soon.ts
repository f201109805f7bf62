import "server-only";
import { after } from "next/server";
import { runWebhooks } from "@/lib/webhooks/run";

/**
 * Delivers the webhooks a request recorded, right after its response is sent (`after` from
 * next/server), where no in-process timer runs: on Vercel, between Cron runs. Elsewhere the timer
 * (lib/webhooks/timer.ts) delivers within a second, so this does nothing. Call it from a route
 * handler whose use case may have recorded an event.
 */
export function deliverSoon(): void {
  if (!process.env.VERCEL) return;
  after(() =>
    runWebhooks({ budgetMs: 10_000, sweep: false }).then(
      () => undefined,
      (error: unknown) => console.error("[vend] webhook delivery after the response failed; Cron retries", error),
    ),
  );
}
