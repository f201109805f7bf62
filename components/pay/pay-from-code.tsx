import { CopyButton } from "@/components/pay/copy-button";
import type { PayView } from "@/lib/pay/types";

/** The curl line that shows the link's 402 challenge. */
export function curlSnippet(view: Pick<PayView, "linkUrl">): string {
  return `curl -i ${view.linkUrl}`;
}

/** File name the "Pay from code" snippet is labelled with: a Node ES module, run as `node pay.mjs`. */
export const SNIPPET_FILE = "pay.mjs";

/**
 * The official `@x402/fetch` client paying this link from code and saving the file: plain
 * JavaScript, an ES module for Node 20+, runnable exactly as pasted into {@link SNIPPET_FILE}.
 */
export function fetchSnippet(view: Pick<PayView, "linkUrl" | "amount" | "network" | "file">): string {
  return `// ${SNIPPET_FILE} — Node 20+. Install: npm i @x402/fetch @x402/evm viem
// Run: PRIVATE_KEY=0x… node ${SNIPPET_FILE}
import { writeFile } from "node:fs/promises";
import { wrapFetchWithPayment, x402Client } from "@x402/fetch";
import { ExactEvmScheme } from "@x402/evm/exact/client";
import { privateKeyToAccount } from "viem/accounts";

const account = privateKeyToAccount(process.env.PRIVATE_KEY);
const client = new x402Client()
  .register("${view.network.id}", new ExactEvmScheme(account))
  // Pay this token, at most this link's price (atomic units).
  .setSpendControls({
    allowedAssets: [{ network: "${view.network.id}", asset: "${view.network.asset}", maxAmountPerPayment: "${view.amount}" }],
  });

const res = await wrapFetchWithPayment(fetch, client)("${view.linkUrl}");
if (!res.ok) throw new Error(\`\${res.status} \${await res.text()}\`);
await writeFile(${JSON.stringify(view.file.name)}, Buffer.from(await res.arrayBuffer()));
console.log("Saved", ${JSON.stringify(view.file.name)});`;
}

/**
 * "Pay from code": agents buy through the same URL — a GET answers 402 with the price (x402), the
 * official client signs and retries, the file comes back. Collapsed by default; no JS needed.
 */
export function PayFromCode({ view }: { view: PayView }) {
  const curl = curlSnippet(view);
  const code = fetchSnippet(view);
  return (
    <details className="group rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" data-testid="pay-from-code">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-3 px-5 py-4 text-sm font-medium sm:px-6 [&::-webkit-details-marker]:hidden">
        <span>
          Pay from code
          <span className="block text-xs font-normal text-zinc-500">Agents and scripts pay this same link with x402.</span>
        </span>
        <span aria-hidden className="text-zinc-400 transition group-open:rotate-90">
          ›
        </span>
      </summary>
      <div className="space-y-4 border-t border-zinc-100 px-5 py-4 sm:px-6 dark:border-zinc-800">
        <Snippet title="See the price: the link answers 402 Payment Required" code={curl} />
        <Snippet title={`Pay and download with the official x402 client — JavaScript, Node 20+ ES module (${SNIPPET_FILE})`} code={code} />
        <p className="text-xs leading-5 text-zinc-500">
          The 402 carries the x402 v1 JSON body and the v2 <code className="font-mono">PAYMENT-REQUIRED</code> header; a paid request
          returns the file with a <code className="font-mono">PAYMENT-RESPONSE</code> header and a receipt.
        </p>
      </div>
    </details>
  );
}

function Snippet({ title, code }: { title: string; code: string }) {
  return (
    <div>
      <div className="mb-1.5 flex items-center justify-between gap-2">
        <p className="min-w-0 text-xs font-medium text-zinc-600 dark:text-zinc-300">{title}</p>
        <CopyButton text={code} />
      </div>
      <pre className="overflow-x-auto rounded-lg bg-zinc-950 p-3 font-mono text-[12px] leading-5 text-zinc-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}
