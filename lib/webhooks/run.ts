import "server-only";
import { deliverDue, type DeliveryRound } from "@/lib/webhooks/deliver";
import { sweepExpiredLinks } from "@/lib/webhooks/sweep";

/** What {@link runWebhooks} did. */
export type WebhookRun = DeliveryRound & { expired: number };

/**
 * Sweeps link expiries (when `sweep`) and delivers due webhooks round after round until none is
 * due or `budgetMs` has passed. Run by the in-process timer (lib/webhooks/timer.ts) and by
 * `GET /api/cron/webhooks`.
 */
export async function runWebhooks(opts: { budgetMs: number; sweep: boolean }): Promise<WebhookRun> {
  const deadline = Date.now() + opts.budgetMs;
  const run: WebhookRun = { expired: opts.sweep ? await sweepExpiredLinks() : 0, attempted: 0, succeeded: 0, retrying: 0, failed: 0 };
  while (Date.now() < deadline) {
    const round = await deliverDue();
    run.attempted += round.attempted;
    run.succeeded += round.succeeded;
    run.retrying += round.retrying;
    run.failed += round.failed;
    if (round.attempted === 0) break;
  }
  return run;
}
