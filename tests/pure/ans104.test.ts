import { createHash, generateKeyPairSync, sign as edSign, type KeyObject } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import Arweave from "arweave";
import {
  ArweaveSigner,
  createData,
  DataItem,
  deserializeTags,
  EthereumSigner,
  TypedEthereumSigner,
  type JWKInterface,
  type Signer,
} from "arbundles";
import { privateKeyToAddress } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { InvalidDataItemError, dataItemTag, storeVerifiedDataItem } from "@/lib/ans104/parse";
import { serverSigner, signerFromKey, SIGNER_KEY_FILE } from "@/lib/ans104/signer";
import { PayloadTooLargeError, storeSignedDataItem, type StoredDataItem } from "@/lib/ans104/stream-sign";
import { FsObjectStore } from "@/lib/storage/fs";
import { byteChunks, StorageUnavailableError, type ByteSource, type ObjectStore, type PutOptions } from "@/lib/storage/types";
import { patternBytes, patternChunks, readAll } from "../support/storage-contract";

const dataDir = mkdtempSync(path.join(tmpdir(), "vend-ans104-"));
process.env.VEND_DATA_DIR = dataDir;
delete process.env.ANS104_SIGNER;

const MiB = 1024 * 1024;
const ETH_KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const TAGS = [
  { name: "Content-Type", value: "application/octet-stream" },
  { name: "File-Name", value: "report – ünïcode.pdf" },
  { name: "App-Name", value: "Vend" },
];

let store: FsObjectStore;
let arweaveJwk: JWKInterface;
let keyCounter = 0;

beforeAll(async () => {
  store = new FsObjectStore(path.join(dataDir, "objects"));
  arweaveJwk = (await Arweave.crypto.generateJWK()) as JWKInterface;
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function keys(): { payloadKey: string; headerKey: string } {
  keyCounter += 1;
  return { payloadKey: `items/${keyCounter}/payload`, headerKey: `items/${keyCounter}/header` };
}

async function readItem(k: { payloadKey: string; headerKey: string }): Promise<{ header: Buffer; payload: Buffer }> {
  return { header: await readAll(await store.get(k.headerKey)), payload: await readAll(await store.get(k.payloadKey)) };
}

async function expectNothingStored(k: { payloadKey: string; headerKey: string }): Promise<void> {
  expect(await store.head(k.payloadKey)).toBeNull();
  expect(await store.head(k.headerKey)).toBeNull();
  const tmp = path.join(dataDir, "objects", ".tmp");
  const leftovers = await readdir(tmp).catch(() => []);
  expect(leftovers).toEqual([]);
}

/** Splits `bytes` into chunks of irregular sizes so header fields straddle chunk boundaries. */
async function* irregular(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  const sizes = [1, 2, 3, 61, 500, 4093, 65_536, 300_001];
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Minimal ed25519-based arbundles signers for types 2, 4, 5 and 6, built on node:crypto. */
function edKeys(): { publicKey: Buffer; privateKey: KeyObject } {
  const pair = generateKeyPairSync("ed25519");
  const x = pair.publicKey.export({ format: "jwk" }).x;
  return { publicKey: Buffer.from(x ?? "", "base64url"), privateKey: pair.privateKey };
}

function edSigner(type: 2 | 4 | 5): Signer {
  const { publicKey, privateKey } = edKeys();
  const message = (m: Uint8Array): Buffer => {
    const hex = Buffer.from(m).toString("hex");
    if (type === 4) return Buffer.from(hex);
    if (type === 5) return Buffer.from(`APTOS\nmessage: ${hex}\nnonce: bundlr`);
    return Buffer.from(m);
  };
  return {
    publicKey,
    signatureType: type,
    signatureLength: 64,
    ownerLength: 32,
    sign: (m: Uint8Array) => edSign(null, message(m), privateKey),
  } as unknown as Signer;
}

function multiAptosSigner(opts: { sign: boolean }): Signer {
  const { publicKey, privateKey } = edKeys();
  const owner = Buffer.alloc(32 * 32 + 1);
  publicKey.copy(owner, 0);
  owner[32 * 32] = 1;
  return {
    publicKey: owner,
    signatureType: 6,
    signatureLength: 64 * 32 + 4,
    ownerLength: 32 * 32 + 1,
    sign: (m: Uint8Array) => {
      const signature = Buffer.alloc(64 * 32 + 4);
      if (opts.sign) {
        edSign(null, Buffer.from(m), privateKey).copy(signature, 0);
        signature[64 * 32] = 0x80;
      }
      return signature;
    },
  } as unknown as Signer;
}

describe("storeSignedDataItem", () => {
  const cases: [string, () => Signer, (r: StoredDataItem) => Promise<void>][] = [
    [
      "Ethereum (type 3)",
      () => new EthereumSigner(ETH_KEY),
      async (r) => {
        expect(r.signatureType).toBe(3);
        expect(r.signer).toBe(privateKeyToAddress(ETH_KEY));
      },
    ],
    [
      "Arweave (type 1)",
      () => new ArweaveSigner(arweaveJwk),
      async (r) => {
        expect(r.signatureType).toBe(1);
        expect(r.signer).toBe(await Arweave.init({}).wallets.jwkToAddress(arweaveJwk));
      },
    ],
  ];

  it.each(cases)("stores a few MiB as a DataItem that arbundles verifies — %s", async (_name, makeSigner, checkSigner) => {
    const signer = makeSigner();
    const k = keys();
    const size = 3 * MiB + 777;
    const result = await storeSignedDataItem({ source: patternChunks(size, 100_000), tags: TAGS, signer, store, ...k, maxBytes: 8n * BigInt(MiB) });

    const { header, payload } = await readItem(k);
    const item = Buffer.concat([header, payload]);
    expect(await DataItem.verify(item)).toBe(true);
    const parsed = new DataItem(item);
    expect(parsed.id).toBe(result.id);
    expect(result.id).toBe(createHash("sha256").update(parsed.rawSignature).digest("base64url"));
    expect(parsed.owner).toBe(result.owner);
    expect(result.owner).toBe(Buffer.from(signer.publicKey).toString("base64url"));
    expect(parsed.tags).toEqual(TAGS);
    expect(result.tags).toEqual(TAGS);
    expect(result.size).toBe(BigInt(size));
    expect(result.dataOffset).toBe(BigInt(header.byteLength));
    expect(parsed.getStartOfData()).toBe(header.byteLength);
    expect(payload.equals(Buffer.from(patternBytes(0, size)))).toBe(true);
    expect(result.sha256).toBe(sha256Hex(payload));
    expect(parsed.rawTarget.byteLength).toBe(0);
    expect(parsed.rawAnchor.byteLength).toBe(0);
    await checkSigner(result);
  });

  it("signs an empty payload and an item without tags", async () => {
    const k = keys();
    const result = await storeSignedDataItem({ source: patternChunks(0, 1), tags: [], signer: new EthereumSigner(ETH_KEY), store, ...k });
    const { header, payload } = await readItem(k);
    expect(payload.byteLength).toBe(0);
    expect(await DataItem.verify(header)).toBe(true);
    expect(new DataItem(header).id).toBe(result.id);
    expect(result.size).toBe(0n);
    expect(result.sha256).toBe(sha256Hex(new Uint8Array(0)));
  });

  it("accepts a WHATWG ReadableStream source", async () => {
    const k = keys();
    const chunks = patternChunks(200_000, 30_000);
    const web = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    });
    const result = await storeSignedDataItem({ source: web, tags: TAGS, signer: new EthereumSigner(ETH_KEY), store, ...k });
    const { header, payload } = await readItem(k);
    expect(await DataItem.verify(Buffer.concat([header, payload]))).toBe(true);
    expect(result.size).toBe(200_000n);
  });

  it("throws PayloadTooLargeError past maxBytes and leaves nothing in the store", async () => {
    const k = keys();
    const attempt = storeSignedDataItem({
      source: patternChunks(5 * MiB, 256 * 1024),
      tags: TAGS,
      signer: new EthereumSigner(ETH_KEY),
      store,
      ...k,
      maxBytes: 2n * BigInt(MiB),
    });
    await expect(attempt).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(attempt).rejects.toMatchObject({ code: "payload_too_large", status: 413 });
    await expectNothingStored(k);
  });

  it("accepts a payload of exactly maxBytes", async () => {
    const k = keys();
    const result = await storeSignedDataItem({ source: patternChunks(1000, 300), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store, ...k, maxBytes: 1000n });
    expect(result.size).toBe(1000n);
  });

  it("rethrows a source error and leaves nothing in the store", async () => {
    const k = keys();
    const boom = new Error("connection reset");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield patternBytes(0, MiB);
      yield patternBytes(MiB, MiB);
      throw boom;
    }
    await expect(storeSignedDataItem({ source: failing(), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store, ...k })).rejects.toBe(boom);
    await expectNothingStored(k);
  });

  it("stops on abort and leaves nothing in the store", async () => {
    const k = keys();
    const controller = new AbortController();
    async function* source(): AsyncGenerator<Uint8Array> {
      yield patternBytes(0, MiB);
      controller.abort(new Error("client disconnected"));
      for (let i = 1; i < 10; i++) yield patternBytes(i * MiB, MiB);
    }
    await expect(
      storeSignedDataItem({ source: source(), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store, ...k, signal: controller.signal }),
    ).rejects.toThrow("client disconnected");
    await expectNothingStored(k);
  });

  it("deletes the payload when writing the header fails", async () => {
    const k = keys();
    const failingHeader: ObjectStore = {
      put: (key: string, body: ByteSource, opts?: PutOptions) =>
        key === k.headerKey ? Promise.reject(new Error("header write failed")) : store.put(key, body, opts),
      get: (key, range) => store.get(key, range),
      head: (key) => store.head(key),
      delete: (key) => store.delete(key),
    };
    await expect(
      storeSignedDataItem({ source: patternChunks(10_000, 1000), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store: failingHeader, ...k }),
    ).rejects.toThrow("header write failed");
    await expectNothingStored(k);
  });

  it("surfaces the store's own error when the store fails midway, and leaves nothing", async () => {
    const k = keys();
    const failing: ObjectStore = {
      put: async (key, body, opts) => {
        if (key !== k.payloadKey) return store.put(key, body, opts);
        let n = 0;
        try {
          for await (const chunk of byteChunks(body)) {
            n += chunk.byteLength > 0 ? 1 : 0;
            if (n === 2) throw new StorageUnavailableError("disk on fire");
          }
          return { size: 0n };
        } catch (error) {
          // Asynchronous cleanup (aborting a multipart upload, removing a temp file) before rejecting.
          await new Promise((resolve) => setImmediate(resolve));
          throw error;
        }
      },
      get: (key, range) => store.get(key, range),
      head: (key) => store.head(key),
      delete: (key) => store.delete(key),
    };
    const attempt = storeSignedDataItem({ source: patternChunks(MiB, 65_536), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store: failing, ...k });
    await expect(attempt).rejects.toBeInstanceOf(StorageUnavailableError);
    await expectNothingStored(k);
  });

  it.each([
    [[{ name: "", value: "x" }]],
    [[{ name: "x", value: "" }]],
    [[{ name: "x".repeat(1025), value: "x" }]],
    [[{ name: "x", value: "x".repeat(3073) }]],
    [Array.from({ length: 129 }, (_, i) => ({ name: `n${i}`, value: "v" }))],
    [Array.from({ length: 3 }, (_, i) => ({ name: `n${i}`, value: "v".repeat(2000) }))],
  ])("rejects invalid tags before reading the source (%#)", async (tags) => {
    const k = keys();
    let pulled = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      pulled = true;
      yield new Uint8Array(1);
    }
    const attempt = storeSignedDataItem({ source: source(), tags, signer: new EthereumSigner(ETH_KEY), store, ...k });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "invalid_request" });
    expect(pulled).toBe(false);
    await expectNothingStored(k);
  });

  it("never lets the source run more than one chunk ahead of the store (flat memory)", async () => {
    const k = keys();
    let produced = 0;
    let pulled = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 256; i++) {
        produced += 1;
        maxAhead = Math.max(maxAhead, produced - pulled);
        yield patternBytes(i * 65_536, 65_536);
      }
    }
    const counting: ObjectStore = {
      put: (key, body, opts) => {
        async function* counted(): AsyncGenerator<Uint8Array> {
          for await (const chunk of byteChunks(body)) {
            if (key === k.payloadKey) pulled += 1;
            yield chunk;
          }
        }
        return store.put(key, counted(), opts);
      },
      get: (key, range) => store.get(key, range),
      head: (key) => store.head(key),
      delete: (key) => store.delete(key),
    };
    const result = await storeSignedDataItem({ source: source(), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store: counting, ...k });
    expect(result.size).toBe(256n * 65_536n);
    expect(pulled).toBe(256);
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it("releases each chunk once both consumers took it (no payload retained, checked with a forced GC)", async () => {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const chunkSize = MiB;
    const chunks = 192;
    let retainedAtMiddle = Number.NaN;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < chunks; i++) {
        if (i === chunks / 2) {
          gc();
          retainedAtMiddle = process.memoryUsage().arrayBuffers;
        }
        yield new Uint8Array(chunkSize).fill(i);
      }
    }
    const sink: ObjectStore = {
      put: async (_key, body) => {
        let size = 0n;
        for await (const chunk of byteChunks(body)) size += BigInt(chunk.byteLength);
        return { size };
      },
      get: () => Promise.reject(new Error("unused")),
      head: async () => null,
      delete: async () => undefined,
    };
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const result = await storeSignedDataItem({ source: source(), tags: TAGS, signer: new EthereumSigner(ETH_KEY), store: sink, payloadKey: "p", headerKey: "h" });
    expect(result.size).toBe(BigInt(chunks * chunkSize));
    // 96 MiB have streamed through by the middle; a leak would hold all of it.
    expect(retainedAtMiddle - before).toBeLessThan(16 * MiB);
  });
});

describe("storeVerifiedDataItem", () => {
  async function creatorItem(signer: Signer, size: number, opts?: { target?: string; anchor?: string; tags?: typeof TAGS }) {
    const item = createData(Buffer.from(patternBytes(0, size, 3)), signer, { tags: opts?.tags ?? TAGS, target: opts?.target, anchor: opts?.anchor });
    await item.sign(signer);
    return item;
  }

  const signers: [string, () => Signer, number][] = [
    ["Arweave", () => new ArweaveSigner(arweaveJwk), 1],
    ["ED25519", () => edSigner(2), 2],
    ["Ethereum", () => new EthereumSigner(ETH_KEY), 3],
    ["Solana", () => edSigner(4), 4],
    ["InjectedAptos", () => edSigner(5), 5],
    ["MultiAptos", () => multiAptosSigner({ sign: true }), 6],
    ["TypedEthereum", () => new TypedEthereumSigner(ETH_KEY), 7],
  ];

  it.each(signers)("round-trips a creator-signed %s item byte for byte", async (_name, makeSigner, type) => {
    const signer = makeSigner();
    const item = await creatorItem(signer, 2 * MiB + 5);
    const raw = Buffer.from(item.getRaw());
    expect(await DataItem.verify(raw)).toBe(true);
    const k = keys();
    const result = await storeVerifiedDataItem({ source: irregular(raw), store, ...k });
    const { header, payload } = await readItem(k);
    expect(Buffer.concat([header, payload]).equals(raw)).toBe(true);
    expect(result.id).toBe(item.id);
    expect(result.signatureType).toBe(type);
    expect(result.owner).toBe(item.owner);
    expect(result.tags).toEqual(TAGS);
    expect(result.dataOffset).toBe(BigInt(item.getStartOfData()));
    expect(result.size).toBe(BigInt(2 * MiB + 5));
    expect(result.sha256).toBe(sha256Hex(item.rawData));
    if (type === 3 || type === 7) expect(result.signer).toBe(privateKeyToAddress(ETH_KEY));
    if (type === 1) expect(result.signer).toBe(await Arweave.init({}).wallets.jwkToAddress(arweaveJwk));
  });

  it("keeps a target and an anchor", async () => {
    const target = Buffer.alloc(32, 7).toString("base64url");
    const anchor = "a".repeat(32);
    const item = await creatorItem(new EthereumSigner(ETH_KEY), 1000, { target, anchor });
    const raw = Buffer.from(item.getRaw());
    const k = keys();
    const result = await storeVerifiedDataItem({ source: irregular(raw), store, ...k });
    const { header, payload } = await readItem(k);
    expect(Buffer.concat([header, payload]).equals(raw)).toBe(true);
    expect(result.dataOffset).toBe(BigInt(item.getStartOfData()));
    expect(new DataItem(Buffer.concat([header, payload])).target).toBe(target);
  });

  it("accepts an item without tags", async () => {
    const item = await creatorItem(new EthereumSigner(ETH_KEY), 10, { tags: [] });
    const k = keys();
    const result = await storeVerifiedDataItem({ source: irregular(Buffer.from(item.getRaw())), store, ...k });
    expect(result.tags).toEqual([]);
    expect(result.id).toBe(item.id);
  });

  async function expectInvalid(bytes: Uint8Array, message?: RegExp): Promise<void> {
    const k = keys();
    const attempt = storeVerifiedDataItem({ source: irregular(bytes), store, ...k });
    await expect(attempt).rejects.toBeInstanceOf(InvalidDataItemError);
    await expect(attempt).rejects.toMatchObject({ code: "invalid_data_item", status: 400 });
    if (message) await expect(attempt).rejects.toThrow(message);
    await expectNothingStored(k);
  }

  it.each(signers.filter(([, , type]) => type === 1 || type === 3))("rejects one flipped byte in the data or the signature (%s)", async (_name, makeSigner) => {
    const item = await creatorItem(makeSigner(), MiB);
    const raw = Buffer.from(item.getRaw());
    const data = Buffer.from(raw);
    const at = item.getStartOfData() + 123_456;
    data.writeUInt8(data.readUInt8(at) ^ 0x01, at);
    await expectInvalid(data, /signature does not verify/);
    const signature = Buffer.from(raw);
    signature.writeUInt8(signature.readUInt8(10) ^ 0x80, 10);
    await expectInvalid(signature, /signature does not verify/);
  });

  it("rejects an Ethereum item whose recovery byte was altered (arbundles alone accepts it)", async () => {
    const item = await creatorItem(new EthereumSigner(ETH_KEY), 100);
    const raw = Buffer.from(item.getRaw());
    raw[2 + 64] = raw[2 + 64] === 27 ? 28 : 27;
    expect(await DataItem.verify(raw)).toBe(true);
    expect(new DataItem(raw).id).not.toBe(item.id);
    await expectInvalid(raw, /signature does not verify/);
  });

  it("rejects a MultiAptos item with no signatures in its bitmap (arbundles alone accepts it)", async () => {
    const item = await creatorItem(multiAptosSigner({ sign: false }), 100);
    const raw = Buffer.from(item.getRaw());
    expect(await DataItem.verify(raw)).toBe(true);
    await expectInvalid(raw, /signature does not verify/);
  });

  it("rejects an item truncated in the data section or in the header", async () => {
    const item = await creatorItem(new ArweaveSigner(arweaveJwk), 50_000);
    const raw = Buffer.from(item.getRaw());
    await expectInvalid(raw.subarray(0, raw.byteLength - 1), /signature does not verify/);
    await expectInvalid(raw.subarray(0, item.getStartOfData() - 5), /truncated/);
    await expectInvalid(raw.subarray(0, 300), /truncated: the item ends inside the signature/);
    await expectInvalid(raw.subarray(0, 1), /truncated/);
    await expectInvalid(new Uint8Array(0), /truncated/);
  });

  it("rejects an unknown signature type and a bad presence byte", async () => {
    const item = await creatorItem(new EthereumSigner(ETH_KEY), 100);
    const raw = Buffer.from(item.getRaw());
    const unknown = Buffer.from(raw);
    unknown.writeUInt16LE(99, 0);
    await expectInvalid(unknown, /unsupported signature type 99/);
    const presence = Buffer.from(raw);
    presence[2 + 65 + 65] = 2;
    await expectInvalid(presence, /target presence byte is 2/);
  });

  it("rejects tag blocks that lie about their size or count", async () => {
    const item = await creatorItem(new EthereumSigner(ETH_KEY), 100);
    const raw = Buffer.from(item.getRaw());
    const tagsStart = 2 + 65 + 65 + 2;
    const count = Buffer.from(raw);
    count.writeBigUInt64LE(2n, tagsStart);
    await expectInvalid(count, /declares 2 tags but holds 3|more tags than/);
    const tooBig = Buffer.from(raw);
    tooBig.writeBigUInt64LE(5000n, tagsStart + 8);
    await expectInvalid(tooBig, /tag bytes/);
  });

  it("rejects, without hanging, a crafted tag block that makes arbundles' deserializeTags loop", async () => {
    const signer = new EthereumSigner(ETH_KEY);
    const template = createData("", signer);
    const head = Buffer.from(template.getRaw()).subarray(0, 2 + 65 + 65 + 2);
    // Avro block count 2^40 (zig-zag varint), then a name of length 0 and a value of length -2,
    // which moves arbundles' read position backwards forever.
    const tagBytes = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00, 0x03]);
    const counts = Buffer.alloc(16);
    counts.writeBigUInt64LE(1n, 0);
    counts.writeBigUInt64LE(BigInt(tagBytes.byteLength), 8);
    await expectInvalid(Buffer.concat([head, counts, tagBytes, Buffer.from("data")]), /malformed tags/);
    expect(() => deserializeTags(Buffer.from([0x02, 0x02, 0x61, 0x02, 0x62, 0x00]))).not.toThrow();
  });

  it("throws PayloadTooLargeError when the data section exceeds maxBytes, leaving nothing", async () => {
    const item = await creatorItem(new EthereumSigner(ETH_KEY), 3 * MiB);
    const k = keys();
    const attempt = storeVerifiedDataItem({ source: irregular(Buffer.from(item.getRaw())), store, ...k, maxBytes: BigInt(MiB) });
    await expect(attempt).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expectNothingStored(k);
  });

  it("finds tags with dataItemTag", () => {
    expect(dataItemTag(TAGS, "File-Name")).toBe("report – ünïcode.pdf");
    expect(dataItemTag(TAGS, "file-name")).toBeUndefined();
    expect(dataItemTag([], "Content-Type")).toBeUndefined();
  });
});

describe("serverSigner", () => {
  it("builds an EthereumSigner from a hex key and an ArweaveSigner from a JWK", () => {
    const eth = signerFromKey(ETH_KEY);
    expect(eth.signatureType).toBe(3);
    expect(eth).toBeInstanceOf(EthereumSigner);
    const ar = signerFromKey(JSON.stringify(arweaveJwk));
    expect(ar.signatureType).toBe(1);
    expect(ar).toBeInstanceOf(ArweaveSigner);
  });

  it.each(["0x1234", "not a key", "{not json", JSON.stringify({ kty: "EC" })])("rejects the malformed key %j", (key) => {
    expect(() => signerFromKey(key)).toThrow(/ANS104_SIGNER/);
  });

  it("generates an Ethereum key once, stores it with mode 0600 and reuses it", async () => {
    const first = await serverSigner();
    expect(first.signatureType).toBe(3);
    expect(await serverSigner()).toBe(first);
    const file = path.join(dataDir, SIGNER_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    vi.resetModules();
    const fresh = await import("@/lib/ans104/signer");
    const again = await fresh.serverSigner();
    expect(again).not.toBe(first);
    expect(Buffer.from(again.publicKey).equals(Buffer.from(first.publicKey))).toBe(true);
  });

  it("signs uploads verifiable by arbundles", async () => {
    const k = keys();
    const result = await storeSignedDataItem({ source: patternChunks(1000, 100), tags: TAGS, signer: await serverSigner(), store, ...k });
    const { header, payload } = await readItem(k);
    expect(await DataItem.verify(Buffer.concat([header, payload]))).toBe(true);
    expect(result.signer).toMatch(/^0x[0-9a-fA-F]{40}$/);
  });
});
