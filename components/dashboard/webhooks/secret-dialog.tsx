"use client";

import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { AlertIcon } from "@/components/ui/icons";

const VERIFY_SNIPPET = `import { Webhook } from "standardwebhooks";

const wh = new Webhook(process.env.VEND_WEBHOOK_SECRET);
// body: the raw request body as a string; headers: the request headers
const event = wh.verify(body, headers); // throws on a bad signature`;

/** Shows a signing secret once (after creating an endpoint or rotating its secret). */
export function SecretDialog({ secret, rotated, onClose }: { secret: string | null; rotated?: boolean; onClose: () => void }) {
  return (
    <Dialog
      open={Boolean(secret)}
      onClose={onClose}
      title={rotated ? "Your new signing secret" : "Your endpoint’s signing secret"}
      description="Copy it now: for your security it is shown only this once."
      className="max-w-lg"
      footer={
        <Button variant="primary" onClick={onClose}>
          I’ve copied it
        </Button>
      }
    >
      {secret && (
        <div className="space-y-4">
          <div className="flex items-center gap-2 rounded-lg border border-zinc-200 bg-zinc-50 p-2 pl-3 dark:border-zinc-700 dark:bg-zinc-950">
            <code className="flex-1 break-all font-mono text-xs" data-testid="webhook-secret">
              {secret}
            </code>
            <CopyButton value={secret} label="Copy signing secret" variant="secondary">
              Copy
            </CopyButton>
          </div>
          {rotated && (
            <div className="flex gap-2 rounded-lg bg-amber-50 p-3 text-xs text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">
              <AlertIcon className="mt-0.5 flex-none" />
              For the next 24 hours every delivery is signed with both the old and the new secret: switch your receiver to the new one within that time.
            </div>
          )}
          <div>
            <p className="mb-1 text-xs font-medium text-zinc-500">Verify deliveries (Standard Webhooks)</p>
            <pre className="overflow-x-auto rounded-lg bg-zinc-950 p-3 font-mono text-[11px] leading-relaxed text-zinc-100">{VERIFY_SNIPPET}</pre>
          </div>
        </div>
      )}
    </Dialog>
  );
}
