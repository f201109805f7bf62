import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from "@x402/core/http";
import { wrapFetchWithPayment } from "@x402/fetch";
import type { Address } from "viem";
import { formatUsdc } from "../lib/format";
import { createApiKey, hardhat, payer, signIn, usdcBalance } from "./lib/agent";
import { loadDotenv } from "./lib/load-env";

/**
 * `npm run demo` (while `npm run dev` runs) — the whole journey from code, as an agent would:
 * signs in as a creator (Hardhat #0, SIWE), uploads a sample file, creates a 0.01 USDC link,
 * then, as Hardhat #1, receives the 402, pays it with the official `@x402/fetch` client, checks the
 * bytes and both balances, and prints the transaction. Run again, it reuses its API key and its
 * sample file (kept in `VEND_DATA_DIR/demo.json`), so each run adds one link and one sale only.
 */
loadDotenv();
const baseUrl = (process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`).replace(/\/$/, "");
const dataDir = path.resolve(process.env.VEND_DATA_DIR ?? ".vend");
const chain = JSON.parse(readFileSync(path.join(dataDir, "chain.json"), "utf8")) as { rpcUrl: string; chainId: number; asset: Address };
const network = `eip155:${chain.chainId}`;
const creator = hardhat(0);
const buyer = hardhat(1);

function fail(message: string): never {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

const health = await fetch(`${baseUrl}/api/health`).catch(() => null);
if (!health?.ok) fail(`Vend is not answering at ${baseUrl}: start it with \`npm run dev\` first.`);

/** What a previous run left for the next one: its API key (a secret: it stays in the data folder) and object. */
type DemoState = { apiKey?: string; objectId?: string };
const statePath = path.join(dataDir, "demo.json");
const saved: DemoState = (() => {
  try {
    return JSON.parse(readFileSync(statePath, "utf8")) as DemoState;
  } catch {
    return {};
  }
})();
const save = (state: DemoState) => writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

type DemoObject = { id: string; dataItemId: string; signer: string; sha256: string };
const sample = new TextEncoder().encode("# Vend demo\n\nA private file, sold over x402 by `npm run demo`.\n");
const sampleSha256 = createHash("sha256").update(sample).digest("hex");

/** The saved object when it is still there, this creator's and unchanged; else null. */
async function savedObject(auth: Record<string, string>): Promise<DemoObject | null> {
  if (!saved.objectId) return null;
  const res = await fetch(`${baseUrl}/api/objects/${encodeURIComponent(saved.objectId)}`, { headers: auth });
  if (res.status !== 200) return null;
  const object = (await res.json()) as DemoObject & { deletedAt: string | null };
  return object.deletedAt === null && object.sha256 === sampleSha256 ? object : null;
}

let key = saved.apiKey;
if (key && (await fetch(`${baseUrl}/api/objects?limit=1`, { headers: { authorization: `Bearer ${key}` } })).status === 200) {
  console.log(`1. Creator ${creator.address}: reusing the demo's API key from ${path.relative(process.cwd(), statePath)}`);
} else {
  console.log(`1. Sign in as creator ${creator.address} (SIWE) and create an API key`);
  key = await createApiKey(baseUrl, await signIn(baseUrl, creator), "npm run demo");
  save({ apiKey: key });
}
const auth = { authorization: `Bearer ${key}` };

let object = await savedObject(auth);
if (object) {
  console.log(`2. Reusing vend-demo.md → ${object.id}, ANS-104 DataItem ${object.dataItemId} (signed by ${object.signer})`);
} else {
  const uploaded = await fetch(`${baseUrl}/api/objects`, {
    method: "POST",
    headers: { ...auth, "content-type": "text/markdown", "x-filename": "vend-demo.md" },
    body: sample,
  });
  if (uploaded.status !== 201) fail(`upload failed: ${uploaded.status} ${await uploaded.text()}`);
  object = (await uploaded.json()) as DemoObject;
  save({ apiKey: key, objectId: object.id });
  console.log(`2. Uploaded vend-demo.md → ${object.id}, ANS-104 DataItem ${object.dataItemId} (signed by ${object.signer})`);
}

const created = await fetch(`${baseUrl}/api/links`, {
  method: "POST",
  headers: { ...auth, "content-type": "application/json" },
  body: JSON.stringify({ objectId: object.id, payTo: creator.address, price: "0.01", network, expiresIn: "1h", title: "Vend demo" }),
});
if (created.status !== 201) fail(`link creation failed: ${created.status} ${await created.text()}`);
const link = (await created.json()) as { url: string; amount: string };
console.log(`3. Created a payment link: ${link.url} (${formatUsdc(link.amount)})`);

const challenge = await fetch(link.url);
if (challenge.status !== 402) fail(`expected 402, got ${challenge.status}`);
console.log(`4. GET without payment → 402. PAYMENT-REQUIRED (decoded):`);
console.log(JSON.stringify(decodePaymentRequiredHeader(challenge.headers.get("payment-required")!), null, 2));

const before = { buyer: await usdcBalance(chain.rpcUrl, chain.asset, buyer.address), payee: await usdcBalance(chain.rpcUrl, chain.asset, creator.address) };
const paidFetch = wrapFetchWithPayment(fetch, payer(buyer, network, chain.asset));
const res = await paidFetch(link.url);
if (res.status !== 200) fail(`payment failed: ${res.status} ${await res.text()}`);
const body = new Uint8Array(await res.arrayBuffer());
const settlement = decodePaymentResponseHeader(res.headers.get("payment-response")!);
const after = { buyer: await usdcBalance(chain.rpcUrl, chain.asset, buyer.address), payee: await usdcBalance(chain.rpcUrl, chain.asset, creator.address) };
console.log(`5. Paid as ${buyer.address} with @x402/fetch → 200. PAYMENT-RESPONSE (decoded):`);
console.log(JSON.stringify(settlement, null, 2));

const sameBytes = Buffer.compare(Buffer.from(body), Buffer.from(sample)) === 0;
const price = BigInt(link.amount);
console.log(`6. Bytes match the upload: ${sameBytes ? "yes" : "NO"}`);
console.log(`   buyer ${formatUsdc(before.buyer)} → ${formatUsdc(after.buyer)}; payee ${formatUsdc(before.payee)} → ${formatUsdc(after.payee)}`);
if (!sameBytes) fail("the delivered bytes differ from the upload");
if (before.buyer - after.buyer !== price || after.payee - before.payee !== price) fail("balances did not move by exactly the price");
console.log(`\n✓ Settled on chain ${network}: transaction ${settlement.transaction}`);
