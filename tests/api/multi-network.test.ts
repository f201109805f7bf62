import { randomBytes } from "node:crypto";
import { decodePaymentResponseHeader } from "@x402/core/http";
import { createSIWxPayload, encodeSIWxHeader, SIGN_IN_WITH_X, type SIWxExtension } from "@x402/extensions/sign-in-with-x";
import { createPublicClient, createWalletClient, erc20Abi, http, type Address, type Hash } from "viem";
import { beforeAll, describe, expect, it, inject } from "vitest";
import { devnetChain } from "../../scripts/lib/devnet";
import { createApiKey, creatorApi, hardhat, paymentRequiredOf, signIn, signPayment, usdcBalance, type Account } from "../support/client";

/**
 * A link sold on two networks at once, on two real local chains: the 402 offers both in the
 * creator's order, each payment settles on the network it paid on and is recorded with it, the
 * balances move on that chain only; a link on one network is unchanged; refunds are checked on the
 * sale's own network.
 */
const baseUrl = inject("baseUrl");
const one = { rpcUrl: inject("rpcUrl"), chainId: inject("chainId"), asset: inject("asset"), network: `eip155:${inject("chainId")}` };
const two = { rpcUrl: inject("rpcUrl2"), chainId: inject("chainId2"), asset: inject("asset2"), network: `eip155:${inject("chainId2")}` };
const creator = hardhat(16);
const payee = hardhat(17).address;
let api: ReturnType<typeof creatorApi>;
let objectId: string;

type Chain = typeof one;
type Sale = { id: string; network: string; payer: string; transaction: string; amount: string };

/** Pays `url` as `buyer` on `chain` only (the 402's entry for that network), returning the answer. */
async function payOn(url: string, buyer: Account, chain: Chain): Promise<Response> {
  const required = paymentRequiredOf(await fetch(url));
  const { header } = await signPayment(buyer, { ...required, accepts: required.accepts.filter((a) => a.network === chain.network) });
  return fetch(url, { headers: { "PAYMENT-SIGNATURE": header } });
}

const balances = (address: Address) => Promise.all([usdcBalance(one.rpcUrl, one.asset, address), usdcBalance(two.rpcUrl, two.asset, address)]);

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  objectId = (await api.upload(new Uint8Array(randomBytes(700)), "two-networks.bin")).id;
});

describe("a link on two networks", () => {
  it("is created with the networks in the creator's order and offers both in the 402", async () => {
    const bad = await api.call("POST", "/api/links", { objectId, payTo: payee, price: "1", networks: [one.network, one.network], expiresIn: "1h" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.fields.networks).toBe("List each network once.");
    const unknown = await api.call("POST", "/api/links", { objectId, payTo: payee, price: "1", networks: [one.network, "eip155:999999"], expiresIn: "1h" });
    expect(unknown.status).toBe(400);

    const res = await api.call("POST", "/api/links", { objectId, payTo: payee, price: "0.75", networks: [two.network, one.network], expiresIn: "1h" });
    expect(res.status).toBe(201);
    const link = await res.json();
    expect(link).toMatchObject({ network: two.network, asset: two.asset, networks: [{ network: two.network, asset: two.asset }, { network: one.network, asset: one.asset }] });

    const challenge = await fetch(link.url);
    expect(challenge.status).toBe(402);
    const required = paymentRequiredOf(challenge);
    expect(required.accepts.map((a) => [a.network, a.asset, a.amount, a.payTo])).toEqual([
      [two.network, two.asset, "750000", payee],
      [one.network, one.asset, "750000", payee],
    ]);
    expect((await challenge.json()).accepts).toHaveLength(2);
  });

  it("settles a payment on each network, on that network, with exact balances", async () => {
    const link = await api.createLink({ objectId, payTo: payee, price: "0.75", networks: [one.network, two.network], expiresIn: "1h" });
    const [buyerA, buyerB] = [hardhat(3), hardhat(4)];
    const [aBefore, bBefore, payeeBefore] = await Promise.all([balances(buyerA.address), balances(buyerB.address), balances(payee)]);

    const paidOne = await payOn(link.url, buyerA, one);
    expect(paidOne.status).toBe(200);
    await paidOne.arrayBuffer();
    const paidTwo = await payOn(link.url, buyerB, two);
    expect(paidTwo.status).toBe(200);
    await paidTwo.arrayBuffer();
    const settlementOne = decodePaymentResponseHeader(paidOne.headers.get("payment-response")!);
    const settlementTwo = decodePaymentResponseHeader(paidTwo.headers.get("payment-response")!);
    expect(settlementOne.network).toBe(one.network);
    expect(settlementTwo.network).toBe(two.network);

    // Each transfer is on its own chain, and only there.
    for (const [settlement, chain, other] of [[settlementOne, one, two], [settlementTwo, two, one]] as const) {
      const onChain = await createPublicClient({ transport: http(chain.rpcUrl) }).getTransactionReceipt({ hash: settlement.transaction as Hash });
      expect(onChain.status).toBe("success");
      await expect(createPublicClient({ transport: http(other.rpcUrl) }).getTransactionReceipt({ hash: settlement.transaction as Hash })).rejects.toThrow();
    }
    expect(await balances(buyerA.address)).toEqual([aBefore[0] - 750_000n, aBefore[1]]);
    expect(await balances(buyerB.address)).toEqual([bBefore[0], bBefore[1] - 750_000n]);
    expect(await balances(payee)).toEqual([payeeBefore[0] + 750_000n, payeeBefore[1] + 750_000n]);

    const { sales } = (await (await api.call("GET", `/api/sales?linkId=${(link as unknown as { id: string }).id}`)).json()) as { sales: Sale[] };
    expect(sales.map((s) => [s.payer, s.network, s.transaction]).sort()).toEqual(
      [
        [buyerA.address, one.network, settlementOne.transaction],
        [buyerB.address, two.network, settlementTwo.transaction],
      ].sort(),
    );
    const onTwo = (await (await api.call("GET", `/api/sales?network=${two.network}&linkId=${(link as unknown as { id: string }).id}`)).json()) as { sales: Sale[] };
    expect(onTwo.sales.map((s) => s.payer)).toEqual([buyerB.address]);
  });

  it("refuses a payment for a network the link does not sell on", async () => {
    const link = await api.createLink({ objectId, payTo: payee, price: "0.2", network: one.network, expiresIn: "1h" });
    const required = paymentRequiredOf(await fetch(link.url));
    expect(required.accepts).toHaveLength(1);
    // The same terms on the other chain: a valid authorization there, but not what this link sells.
    const { header } = await signPayment(hardhat(5), required, (a) => ({ ...a, network: two.network as `${string}:${string}`, asset: two.asset }));
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(402);
    expect(paymentRequiredOf(res).error).toBe("No matching payment requirements");
    expect((await res.json()).error).toBe("invalid_payment_requirements");
  });

  it("checks a refund on the sale's own network", async () => {
    const link = await api.createLink({ objectId, payTo: creator.address, price: "0.1", networks: [one.network, two.network], expiresIn: "1h" });
    const paid = await payOn(link.url, hardhat(6), two);
    expect(paid.status).toBe(200);
    await paid.arrayBuffer();
    const { sales } = (await (await api.call("GET", `/api/sales?linkId=${(link as unknown as { id: string }).id}`)).json()) as { sales: Sale[] };
    const transfer = async (chain: Chain) => {
      const wallet = createWalletClient({ account: creator, chain: devnetChain(chain.chainId, chain.rpcUrl), transport: http(chain.rpcUrl) });
      const hash = await wallet.writeContract({ address: chain.asset, abi: erc20Abi, functionName: "transfer", args: [hardhat(6).address, 100_000n] });
      await createPublicClient({ transport: http(chain.rpcUrl) }).waitForTransactionReceipt({ hash });
      return hash;
    };
    // The creator's refund on the wrong chain (chain one) is not found on the sale's (chain two).
    const fund = createWalletClient({ account: hardhat(9), chain: devnetChain(one.chainId, one.rpcUrl), transport: http(one.rpcUrl) });
    await createPublicClient({ transport: http(one.rpcUrl) }).waitForTransactionReceipt({
      hash: await fund.writeContract({ address: one.asset, abi: erc20Abi, functionName: "transfer", args: [creator.address, 100_000n] }),
    });
    const wrongChain = await api.call("POST", `/api/sales/${sales[0]!.id}/refund`, { transaction: await transfer(one) });
    expect(wrongChain.status).toBe(422);
    expect((await wrongChain.json()).error.message).toMatch(/knows no transaction/);
    const right = await api.call("POST", `/api/sales/${sales[0]!.id}/refund`, { transaction: await transfer(two) });
    expect(right.status).toBe(200);
    expect((await right.json()).status).toBe("refunded");
  });

  it("lets a buyer sign in again (Sign-In-With-X) on any network the link is paid on, and on no other", async () => {
    const link = await api.createLink({ objectId, payTo: payee, price: "0.3", networks: [one.network, two.network], expiresIn: "1h" });
    const buyer = hardhat(7);
    const paid = await payOn(link.url, buyer, two);
    expect(paid.status).toBe(200);
    await paid.arrayBuffer();
    const siwxOn = async (chainId: string) => {
      const challenge = paymentRequiredOf(await fetch(link.url)).extensions![SIGN_IN_WITH_X] as SIWxExtension;
      expect(challenge.supportedChains.map((c) => c.chainId)).toEqual([one.network, two.network]);
      const proof = encodeSIWxHeader(await createSIWxPayload({ ...challenge.info, chainId, type: "eip191" }, buyer, link.url));
      return fetch(link.url, { headers: { "SIGN-IN-WITH-X": proof } });
    };
    for (const network of [one.network, two.network]) {
      const again = await siwxOn(network);
      expect(again.status).toBe(200);
      expect(new Uint8Array(await again.arrayBuffer()).length).toBe(700);
    }
    const elsewhere = await siwxOn("eip155:8453");
    expect(elsewhere.status).toBe(402);
    expect(paymentRequiredOf(elsewhere).error).toBe("invalid_siwx_unsupported_chain");
  });
});
