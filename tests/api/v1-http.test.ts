import { randomBytes } from "node:crypto";
import { createWalletClient, getAddress, http } from "viem";
import { baseSepolia } from "viem/chains";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeXPaymentResponse, wrapFetchWithPayment } from "x402-fetch";
import { ErrorReasons, SettleResponseSchema, x402ResponseSchema } from "x402/types";
import { V1_ERROR_REASONS } from "@/lib/x402/requirements";
import { createApiKey, creatorApi, hardhat, signIn, usdcBalance } from "../support/client";
import { runReadmeSnippet } from "../support/readme-snippets";
import { startStack, type Stack } from "../support/stack";
import { hardhatAccount } from "../../scripts/lib/devnet";
import { TEST_MAX_UPLOAD_BYTES } from "../support/global-setup";

/**
 * Issue 13, item 6: x402 v1 correctness with the official v1 client (`x402-fetch` 1.2.0) over real
 * HTTP. A v1 client knows only fixed network names, so this suite runs its own app on a local chain
 * started with Base Sepolia's id (84532), which Vend names `base-sepolia` in v1 answers: the v1
 * client pays, the `X-PAYMENT-RESPONSE` it reads names `base-sepolia` as the v1 facilitator does,
 * and every v1 402 body — plain or failed — passes the `x402` package's own schema.
 */
let stack: Stack;
let api: ReturnType<typeof creatorApi>;
const creator = hardhat(0);
const buyer = hardhat(1);

beforeAll(async () => {
  process.env.VEND_SKIP_BUILD = "1";
  stack = await startStack({ name: "v1", envPrefix: "TEST_V1", maxUploadBytes: TEST_MAX_UPLOAD_BYTES, chainId: 84532 });
  api = creatorApi(stack.app.url, await createApiKey(stack.app.url, await signIn(stack.app.url, creator)));
});
afterAll(() => stack?.stop());

describe("x402 v1 with x402-fetch on a chain named base-sepolia", () => {
  it("sends only v1 error reasons the x402 v1 package knows", () => {
    expect([...ErrorReasons]).toEqual(expect.arrayContaining([...V1_ERROR_REASONS]));
  });

  it("pays, reads base-sepolia in X-PAYMENT-RESPONSE, and every v1 402 body passes the v1 schema", async () => {
    const object = await api.upload(new Uint8Array(randomBytes(2_000)), "v1.bin");
    const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.03", network: "eip155:84532", expiresIn: "1h" });

    const plain = await fetch(link.url);
    expect(plain.status).toBe(402);
    const body = await plain.json();
    expect(x402ResponseSchema.safeParse(body).success).toBe(true);
    expect(body.accepts[0]).toMatchObject({ network: "base-sepolia", maxAmountRequired: "30000" });

    const wallet = createWalletClient({ account: buyer, chain: baseSepolia, transport: http(stack.chain.rpcUrl) });
    const before = await usdcBalance(stack.chain.rpcUrl, stack.chain.asset, buyer.address);
    const paid = await wrapFetchWithPayment(fetch, wallet as unknown as Parameters<typeof wrapFetchWithPayment>[1])(link.url);
    expect(paid.status).toBe(200);
    await paid.arrayBuffer();
    const settlement = decodeXPaymentResponse(paid.headers.get("x-payment-response")!);
    expect(SettleResponseSchema.parse(settlement)).toMatchObject({ success: true, network: "base-sepolia", payer: getAddress(buyer.address) });
    expect(await usdcBalance(stack.chain.rpcUrl, stack.chain.asset, buyer.address)).toBe(before - 30_000n);

    // A v1 payment whose signature is not the payer's: 402 with a v1 reason the v1 schema accepts.
    const header = JSON.parse(Buffer.from((await signedV1Header(link.url, wallet)), "base64").toString("utf8"));
    header.payload.signature = `0x${"11".repeat(65)}`;
    const refused = await fetch(link.url, { headers: { "X-PAYMENT": Buffer.from(JSON.stringify(header)).toString("base64") } });
    expect(refused.status).toBe(402);
    const refusedBody = await refused.json();
    expect(x402ResponseSchema.parse(refusedBody).error).toBe("invalid_exact_evm_payload_signature");
  });
});

describe("README: Buying from code, the v1 snippet", () => {
  it("pays with x402-fetch as written and prints base-sepolia", async () => {
    const object = await api.upload(new Uint8Array(randomBytes(1_000)), "v1-readme.bin");
    const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.01", network: "eip155:84532", expiresIn: "1h" });
    const result = await runReadmeSnippet("v1-buy", { LINK: link.url, PRIVATE_KEY: hardhatAccount(2).privateKey, RPC_URL: stack.chain.rpcUrl });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("200 base-sepolia\n");
  });
});

/** The X-PAYMENT header x402-fetch would send for `url`, captured from its retry. */
async function signedV1Header(url: string, wallet: unknown): Promise<string> {
  let header = "";
  const capture = wrapFetchWithPayment(async (input, init) => {
    const sent = new Headers(init?.headers);
    if (sent.has("X-PAYMENT")) {
      header = sent.get("X-PAYMENT")!;
      return new Response(null, { status: 204 });
    }
    return fetch(input, init);
  }, wallet as Parameters<typeof wrapFetchWithPayment>[1]);
  await capture(url);
  return header;
}
