import { randomBytes } from "node:crypto";
import { createWalletClient, http, parseSignature, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUsdcAbi } from "../../scripts/lib/contracts";
import { devnetChain } from "../../scripts/lib/devnet";
import {
  type Account,
  hardhat,
  sha256Hex,
  transfersFor,
  usdcBalance,
} from "../support/client";
import { signFor, startSettlementStack, type SettlementStack } from "../support/settlement-stack";

/**
 * Fault injection (issue 9 item 7): the built app under `next start`, its JSON-RPC traffic through
 * our fault proxy, a real chain and a real database. For each fault: what the buyer got (HTTP status
 * and code), the payer's and payee's exact balances, and — at the end, read from the database — the
 * payment's final state. A buyer who was charged always gets the file in the end, with what only
 * they hold: the receipt a 409 hands the reserving request, or the same request again with the x402
 * payment-identifier they sent (after a lost response); a buyer told "not charged" never is.
 */
const PRICE = 250_000n;
const TIMEOUT_SECONDS = 3;
let stack: SettlementStack;
const creator = hardhat(0);
const file = new Uint8Array(randomBytes(4096));

/** The final state each scenario's payment must have: checked in the database at the end. */
const finalStates: { name: string; payer: string; nonce: Hex; status: string | null }[] = [];

type Scenario = { url: string; buyer: Account; header: string; nonce: Hex; before: { payer: bigint; payee: bigint } };
type Answer = { status: number; code?: string; receipt: string | null; body: Uint8Array };

async function scenario(buyer: Account): Promise<Scenario> {
  const api = stack.api();
  const object = await api.upload(file, "fault.bin");
  const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.25", network: `eip155:${stack.chain.chainId}`, expiresIn: "1h" });
  const url = `${stack.apps[0]!.url}/l/${link.slug}`;
  const { header, nonce } = await signFor(url, buyer, stack.chain.asset, `vend-faults-${randomBytes(12).toString("hex")}`);
  return { url, buyer, header, nonce, before: await balances(buyer) };
}

async function balances(buyer: Account) {
  return {
    payer: await usdcBalance(stack.chain.rpcUrl, stack.chain.asset, buyer.address),
    payee: await usdcBalance(stack.chain.rpcUrl, stack.chain.asset, creator.address),
  };
}

/** The buyer's paid request (the same one again is the x402 client's retry, identifier included). */
function pay(s: Scenario): Promise<Answer> {
  return answer(fetch(s.url, { headers: { accept: "application/json", "PAYMENT-SIGNATURE": s.header } }));
}

/** The buyer comes back with the receipt the server gave them. */
function withReceipt(s: Scenario, receipt: string): Promise<Answer> {
  return answer(fetch(s.url, { headers: { accept: "application/json", "X-Vend-Receipt": receipt } }));
}

async function answer(response: Promise<Response>): Promise<Answer> {
  const res = await response;
  const body = new Uint8Array(await res.arrayBuffer());
  let code: string | undefined;
  if (res.status >= 400) {
    const json = JSON.parse(new TextDecoder().decode(body)) as { error?: { code?: string } | string; code?: string };
    code = typeof json.error === "object" ? json.error.code : json.code;
  }
  return { status: res.status, code, receipt: res.headers.get("x-vend-receipt"), body };
}

async function expectCharged(s: Scenario, charged: boolean) {
  const after = await balances(s.buyer);
  expect(after.payer).toBe(s.before.payer - (charged ? PRICE : 0n));
  expect(after.payee).toBe(s.before.payee + (charged ? PRICE : 0n));
  expect(await transfersFor(stack.chain.rpcUrl, stack.chain.asset, s.buyer.address, s.nonce)).toBe(charged ? 1 : 0);
}

function expectFile(res: Answer) {
  expect(res.status).toBe(200);
  expect(sha256Hex(res.body)).toBe(sha256Hex(file));
}

/** A 409 `settlement_pending` that hands this request its receipt. */
function expectPendingWithReceipt(res: Answer): string {
  expect([res.status, res.code]).toEqual([409, "settlement_pending"]);
  expect(res.receipt).toMatch(/^r1\./);
  return res.receipt!;
}

beforeAll(async () => {
  stack = await startSettlementStack({ name: "faults", timeoutSeconds: TIMEOUT_SECONDS });
});

afterAll(async () => {
  await stack?.stop();
});

describe("faults between the app and the chain", () => {
  it("a lost reply to a send that reached the chain: the rebroadcast proves it, 200 with the file", async () => {
    const s = await scenario(hardhat(5));
    stack.proxy.failSends("drop-reply");
    expectFile(await pay(s));
    await expectCharged(s, true);
    finalStates.push({ name: "drop-reply", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("a send lost before the chain: rebroadcast, 200 with the file, charged once", async () => {
    const s = await scenario(hardhat(5));
    stack.proxy.failSends("reset");
    expectFile(await pay(s));
    await expectCharged(s, true);
    finalStates.push({ name: "reset-once", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("every send lost: 409 settlement_pending with a receipt, nothing charged yet; when the RPC heals, the receipt settles and delivers", async () => {
    const s = await scenario(hardhat(6));
    stack.proxy.failSends("reset", 1_000);
    const receipt = expectPendingWithReceipt(await pay(s));
    await expectCharged(s, false);
    stack.proxy.failSends("reset", 0);
    expectFile(await withReceipt(s, receipt));
    await expectCharged(s, true);
    finalStates.push({ name: "reset-always", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("a node that refuses the send (insufficient funds for gas): 503 unavailable, not charged; the retry settles", async () => {
    const s = await scenario(hardhat(6));
    stack.proxy.failSends("rpc-error");
    const res = await pay(s);
    expect([res.status, res.code]).toEqual([503, "unavailable"]);
    await expectCharged(s, false);
    expectFile(await pay(s));
    await expectCharged(s, true);
    finalStates.push({ name: "rpc-error-then-retry", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("the RPC down at verify: 503 unavailable (never 'invalid signature'), nothing reserved", async () => {
    const s = await scenario(hardhat(7));
    await stack.proxy.down();
    const res = await pay(s).finally(() => stack.proxy.up());
    expect([res.status, res.code]).toEqual([503, "unavailable"]);
    await expectCharged(s, false);
    finalStates.push({ name: "down-at-verify", payer: s.buyer.address, nonce: s.nonce, status: null });
  });

  it("the RPC going down during the send: 409 with a receipt, then settled and delivered once it is back", async () => {
    const s = await scenario(hardhat(7));
    stack.proxy.failSends("hold-unsent");
    const paying = pay(s);
    await stack.proxy.held();
    await stack.proxy.down();
    const res = await paying;
    await stack.proxy.up();
    const receipt = expectPendingWithReceipt(res);
    await expectCharged(s, false);
    expectFile(await withReceipt(s, receipt));
    await expectCharged(s, true);
    finalStates.push({ name: "down-during-send", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("receipts late: 409 with a receipt while the transfer is already on chain; the receipt delivers once it is seen", async () => {
    const s = await scenario(hardhat(8));
    stack.proxy.holdReceipts(true);
    const res = await pay(s).finally(() => stack.proxy.holdReceipts(false));
    const receipt = expectPendingWithReceipt(res);
    await expectCharged(s, true);
    expectFile(await withReceipt(s, receipt));
    finalStates.push({ name: "late-receipts", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("kill -9 of the app between send and receipt: after a restart the same request (its payment-identifier) delivers, charged once", async () => {
    const s = await scenario(hardhat(8));
    stack.proxy.failSends("hold");
    const paying = pay(s).catch((error: unknown) => error);
    await stack.proxy.held();
    await stack.apps[0]!.kill();
    stack.proxy.release();
    expect(await paying).toBeInstanceOf(Error);
    await expectCharged(s, true);
    await stack.restart(0);
    expectFile(await pay(s));
    await expectCharged(s, true);
    finalStates.push({ name: "kill-after-send", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("kill -9 between recording the transaction and sending it: after a restart the recorded transaction is sent, the same request delivers", async () => {
    const s = await scenario(hardhat(9));
    stack.proxy.failSends("hold-unsent");
    const paying = pay(s).catch((error: unknown) => error);
    await stack.proxy.held();
    await stack.apps[0]!.kill();
    expect(await paying).toBeInstanceOf(Error);
    await expectCharged(s, false);
    await stack.restart(0);
    expectFile(await pay(s));
    await expectCharged(s, true);
    finalStates.push({ name: "kill-before-send", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("the payer cancels the authorization while its settlement is lost: cancelled, never a sale, not charged", async () => {
    const s = await scenario(hardhat(9));
    stack.proxy.failSends("reset", 1_000);
    const receipt = expectPendingWithReceipt(await pay(s));
    const signature = await s.buyer.signTypedData({
      domain: { name: "USD Coin", version: "2", chainId: stack.chain.chainId, verifyingContract: stack.chain.asset },
      types: { CancelAuthorization: [{ name: "authorizer", type: "address" }, { name: "nonce", type: "bytes32" }] },
      primaryType: "CancelAuthorization",
      message: { authorizer: s.buyer.address, nonce: s.nonce },
    });
    const { v, r, s: sig } = parseSignature(signature);
    await createWalletClient({ account: creator, chain: devnetChain(stack.chain.chainId, stack.chain.rpcUrl), transport: http(stack.chain.rpcUrl) }).writeContract({
      address: stack.chain.asset,
      abi: testUsdcAbi,
      functionName: "cancelAuthorization",
      args: [s.buyer.address, s.nonce, Number(v), r, sig],
    });
    stack.proxy.failSends("reset", 0);
    const byReceipt = await withReceipt(s, receipt);
    expect([byReceipt.status, byReceipt.code]).toEqual([402, "payment_required"]);
    const again = await pay(s);
    expect([again.status, again.code]).toEqual([402, "payment_required"]);
    await expectCharged(s, false);
    finalStates.push({ name: "cancelled-while-lost", payer: s.buyer.address, nonce: s.nonce, status: "cancelled" });
  });

  it("after every fault, a plain purchase still settles at once (no nonce left behind)", async () => {
    const s = await scenario(hardhat(5));
    expectFile(await pay(s));
    await expectCharged(s, true);
    finalStates.push({ name: "after-faults", payer: s.buyer.address, nonce: s.nonce, status: "settled" });
  });

  it("leaves every payment in the state the chain proves (read from the database)", async () => {
    for (const app of stack.apps) await app.stop();
    const { openPrisma } = await import("@/lib/db");
    const prisma = await openPrisma(stack.database.url);
    const rows = [];
    for (const f of finalStates) {
      const row = await prisma.payment.findFirst({ where: { payer: f.payer, nonce: f.nonce } });
      rows.push({ name: f.name, status: row?.status ?? null });
    }
    await prisma.$disconnect();
    expect(rows).toEqual(finalStates.map((f) => ({ name: f.name, status: f.status })));
    expect(rows).toHaveLength(11);
  });
});
