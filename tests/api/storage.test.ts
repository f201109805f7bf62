import { randomBytes } from "node:crypto";
import Arweave from "arweave";
import { ArweaveSigner, createData, DataItem, EthereumSigner, type JWKInterface, type Signer } from "arbundles";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  createApiKey,
  creatorApi,
  hardhat,
  paymentRequiredOf,
  signIn,
  signPayment,
  usdcBalance,
} from "../support/client";

const baseUrl = inject("baseUrl");
const rpcUrl = inject("rpcUrl");
const chainId = inject("chainId");
const asset = inject("asset");
const network = `eip155:${chainId}`;

const creator = hardhat(6);
const buyer = hardhat(3);
/** The creator's own ANS-104 key (not the server's): Hardhat #7, so its address is known. */
const itemKey = hardhat(7);

let api: ReturnType<typeof creatorApi>;

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
});

const TAGS = [
  { name: "Content-Type", value: "video/mp4" },
  { name: "File-Name", value: "clip – signed.mp4" },
  { name: "Creator-Note", value: "signed on my machine" },
];

async function signedItem(signer: Signer, data: Uint8Array, tags = TAGS): Promise<{ item: DataItem; raw: Buffer }> {
  const item = createData(data, signer, { tags });
  await item.sign(signer);
  return { item, raw: Buffer.from(item.getRaw()) };
}

function ethSigner(): EthereumSigner {
  return new EthereumSigner(`0x${Buffer.from(itemKey.getHdKey().privateKey!).toString("hex")}`);
}

async function postItem(raw: Uint8Array, headers: Record<string, string> = { "content-type": "application/vnd.ans104" }) {
  return api.call("POST", "/api/objects", raw, headers);
}

async function objectIds(): Promise<string[]> {
  const body = (await (await api.call("GET", "/api/objects?limit=100")).json()) as { objects: { id: string }[] };
  return body.objects.map((o) => o.id);
}

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

/** Pays for `link` once (v2 header) and returns the receipt the gate hands out with the download. */
async function buy(link: { url: string }, query = ""): Promise<{ receipt: string; res: Response }> {
  const { header } = await signPayment(buyer, paymentRequiredOf(await fetch(link.url)));
  const res = await fetch(`${link.url}${query}`, { headers: { "PAYMENT-SIGNATURE": header } });
  expect(res.status).toBe(200);
  const receipt = res.headers.get("x-vend-receipt");
  expect(receipt).toMatch(/^r1\./);
  return { receipt: receipt!, res };
}

describe("creator-signed DataItems", () => {
  it("stores an Ethereum-signed item unchanged and serves it back byte for byte, from the API and the gate", async () => {
    const data = new Uint8Array(randomBytes(300_000));
    const { item, raw } = await signedItem(ethSigner(), data);
    const res = await postItem(raw);
    expect(res.status).toBe(201);
    const object = await res.json();
    const expected = {
      name: "clip – signed.mp4",
      contentType: "video/mp4",
      size: "300000",
      dataItemId: item.id,
      signatureType: 3,
      owner: item.owner,
      signer: itemKey.address,
      dataOffset: String(raw.byteLength - data.byteLength),
      tags: TAGS,
    };
    expect(object).toMatchObject(expected);
    expect(await (await api.call("GET", `/api/objects/${object.id}`)).json()).toMatchObject(expected);

    const whole = await api.call("GET", `/api/objects/${object.id}/content?format=ans104`);
    expect(whole.status).toBe(200);
    const back = await bytesOf(whole);
    expect(back.equals(raw)).toBe(true);
    expect(await DataItem.verify(back)).toBe(true);
    expect((await bytesOf(await api.call("GET", `/api/objects/${object.id}/content`))).equals(Buffer.from(data))).toBe(true);

    const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.10", network, expiresIn: "1h" });
    const { res: paid } = await buy(link, "?format=ans104");
    expect(paid.headers.get("content-type")).toBe("application/octet-stream");
    expect(paid.headers.get("content-disposition")).toContain(`attachment; filename="${item.id}.ans104"`);
    expect(paid.headers.get("x-dataitem-id")).toBe(item.id);
    const bought = await bytesOf(paid);
    expect(bought.equals(raw)).toBe(true);
    const parsed = new DataItem(bought);
    expect(parsed.id).toBe(item.id);
    expect(parsed.signatureType).toBe(3);
    expect(parsed.owner).toBe(item.owner);
  });

  it("accepts an Arweave-signed item flagged with X-Vend-Signed", async () => {
    const jwk = (await Arweave.crypto.generateJWK()) as JWKInterface;
    const data = new Uint8Array(randomBytes(50_000));
    const { item, raw } = await signedItem(new ArweaveSigner(jwk), data, [{ name: "Content-Type", value: "application/pdf" }]);
    const res = await postItem(raw, { "content-type": "application/octet-stream", "x-vend-signed": "true" });
    expect(res.status).toBe(201);
    const object = await res.json();
    expect(object).toMatchObject({
      dataItemId: item.id,
      signatureType: 1,
      owner: item.owner,
      signer: await Arweave.init({}).wallets.jwkToAddress(jwk),
      contentType: "application/pdf",
      name: `${item.id}.bin`,
    });
    const back = await bytesOf(await api.call("GET", `/api/objects/${object.id}/content?format=ans104`));
    expect(back.equals(raw)).toBe(true);
  });

  it("refuses a bad signature or a malformed item with 400 and stores nothing", async () => {
    const data = new Uint8Array(randomBytes(20_000));
    const { raw } = await signedItem(ethSigner(), data);
    const alteredData = Buffer.from(raw);
    alteredData[alteredData.byteLength - 1]! ^= 0x01;
    const alteredSignature = Buffer.from(raw);
    alteredSignature[10]! ^= 0x01;
    const alteredTag = Buffer.from(raw);
    alteredTag[raw.byteLength - data.byteLength - 3]! ^= 0x01;
    const before = await objectIds();
    for (const body of [
      alteredData,
      alteredSignature,
      alteredTag,
      raw.subarray(0, 100),
      raw.subarray(0, raw.byteLength - data.byteLength - 1),
      Buffer.from(randomBytes(5000)),
      Buffer.concat([Buffer.from([0x63, 0x00]), raw.subarray(2)]),
    ]) {
      const res = await postItem(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_data_item");
    }
    expect(await objectIds()).toEqual(before);
  });
});

describe("ranges and resumed downloads on a receipt", () => {
  it("answers 206 with Content-Range in both formats, 416 when unsatisfiable, and resumes without paying again", async () => {
    const data = new Uint8Array(randomBytes(1_000_000));
    const { raw } = await signedItem(ethSigner(), data);
    const object = await (await postItem(raw)).json();
    const offset = raw.byteLength - data.byteLength;
    const link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.05", network, expiresIn: "1h" });
    const { receipt, res } = await buy(link);
    await res.arrayBuffer();
    const balance = await usdcBalance(rpcUrl, asset, buyer.address);
    const withReceipt = (range: string, format = "") => fetch(`${link.url}${format}`, { headers: { "x-vend-receipt": receipt, range } });

    for (const [format, whole, range, start, end] of [
      ["", Buffer.from(data), "bytes=1000-1999", 1000, 1999],
      ["", Buffer.from(data), "bytes=-10", data.length - 10, data.length - 1],
      ["", Buffer.from(data), `bytes=${data.length - 5}-${data.length + 5}`, data.length - 5, data.length - 1],
      ["?format=ans104", raw, "bytes=0-1", 0, 1],
      ["?format=ans104", raw, `bytes=${offset - 8}-${offset + 7}`, offset - 8, offset + 7],
      ["?format=ans104", raw, `bytes=${raw.length - 100}-`, raw.length - 100, raw.length - 1],
    ] as const) {
      const ranged = await withReceipt(range, format);
      expect(ranged.status).toBe(206);
      expect(ranged.headers.get("content-range")).toBe(`bytes ${start}-${end}/${whole.length}`);
      expect((await bytesOf(ranged)).equals(whole.subarray(start, end + 1))).toBe(true);
    }
    for (const [format, total] of [
      ["", data.length],
      ["?format=ans104", raw.length],
    ] as const) {
      const bad = await withReceipt(`bytes=${total}-`, format);
      expect(bad.status).toBe(416);
      expect(bad.headers.get("content-range")).toBe(`bytes */${total}`);
      expect((await bad.json()).error.code).toBe("range_not_satisfiable");
    }

    const cut = 400_000;
    const first = await fetch(`${link.url}?format=ans104`, { headers: { cookie: `vend_r_${link.slug}=${receipt}` } });
    expect(first.status).toBe(200);
    const reader = first.body!.getReader();
    const received: Buffer[] = [];
    let got = 0;
    while (got < cut) {
      const { done, value } = await reader.read();
      if (done) break;
      received.push(Buffer.from(value));
      got += value.byteLength;
    }
    await reader.cancel();
    const partial = Buffer.concat(received);
    const resumed = await fetch(`${link.url}?format=ans104`, {
      headers: { cookie: `vend_r_${link.slug}=${receipt}`, range: `bytes=${partial.length}-` },
    });
    expect(resumed.status).toBe(206);
    expect(resumed.headers.get("content-range")).toBe(`bytes ${partial.length}-${raw.length - 1}/${raw.length}`);
    expect(Buffer.concat([partial, await bytesOf(resumed)]).equals(raw)).toBe(true);
    expect(await usdcBalance(rpcUrl, asset, buyer.address)).toBe(balance);
  });
});
