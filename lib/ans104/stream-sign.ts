import "server-only";
import { createHash } from "node:crypto";
import { createData, deepHash, indexToType, SIG_CONFIG, type Signer } from "arbundles";
import { getAddress, recoverMessageAddress } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { byteChunks, type ByteSource, type ObjectStore } from "@/lib/storage/types";

/** An ANS-104 tag as arbundles models it (UTF-8 strings, Avro-encoded on the wire). */
export interface Tag {
  name: string;
  value: string;
}

/** What both storing functions return: the stored DataItem's identity and the payload's facts. */
export interface StoredDataItem {
  /** DataItem id: base64url(SHA-256(signature)), 43 characters. */
  id: string;
  /** ANS-104 signature type (arbundles `SignatureConfig`): 1 Arweave, 3 Ethereum, … */
  signatureType: number;
  /** The raw owner field (public key; the address string for type 7), base64url. */
  owner: string;
  /** Human-facing signer address derived from the owner; see {@link ownerAddress}. */
  signer: string;
  /** Payload (data section) length in bytes. */
  size: bigint;
  /** Header length in bytes = offset of the payload inside the serialized DataItem. */
  dataOffset: bigint;
  /** Lowercase hex SHA-256 of the payload. */
  sha256: string;
  /** The item's tags, decoded. */
  tags: Tag[];
}

/** The payload exceeded `maxBytes`. Nothing is left in the store. Maps to 413. */
export class PayloadTooLargeError extends AppError {
  readonly limit: bigint;
  constructor(limit: bigint) {
    super("payload_too_large", `The upload exceeds the limit of ${limit} bytes.`, { limit: limit.toString() });
    this.name = "PayloadTooLargeError";
    this.limit = limit;
  }
}

/** ANS-104 tag limits (arweave-standards ANS-104 §"Tag format"); arbundles enforces only the byte cap. */
export const TAG_LIMITS = {
  /** Most tags an item may carry. */
  maxTags: 128,
  /** Longest tag name, in UTF-8 bytes (at least 1). */
  maxNameBytes: 1024,
  /** Longest tag value, in UTF-8 bytes (at least 1). */
  maxValueBytes: 3072,
  /** Largest Avro tag block arbundles reads or writes (`MAX_TAG_BYTES`). */
  maxTagBytes: 4096,
} as const;

/**
 * Why `tags` break the ANS-104 tag rules ({@link TAG_LIMITS}), or `null` when they are fine.
 * The serialized-size cap is checked by arbundles' `serializeTags` when the header is built.
 */
export function tagsProblem(tags: readonly Tag[]): string | null {
  if (tags.length > TAG_LIMITS.maxTags) return `at most ${TAG_LIMITS.maxTags} tags are allowed, got ${tags.length}`;
  for (const [i, tag] of tags.entries()) {
    if (typeof tag.name !== "string" || typeof tag.value !== "string") return `tag ${i} must have string name and value`;
    const name = Buffer.byteLength(tag.name, "utf8");
    const value = Buffer.byteLength(tag.value, "utf8");
    if (name < 1 || name > TAG_LIMITS.maxNameBytes) return `tag ${i} name must be 1–${TAG_LIMITS.maxNameBytes} bytes`;
    if (value < 1 || value > TAG_LIMITS.maxValueBytes) return `tag ${i} value must be 1–${TAG_LIMITS.maxValueBytes} bytes`;
  }
  return null;
}

/**
 * Streams `source` into `store` as the payload of a new ANS-104 DataItem signed by `signer`, in one
 * pass and flat memory (at most one source chunk is held):
 *
 * 1. each chunk is counted against `maxBytes`, fed to SHA-256 and, through a lockstep tee, both to
 *    `store.put(payloadKey)` and to arbundles' `deepHash`, which hashes the data blob incrementally
 *    (SHA-384) while the other elements of the DataItem signature list are hashed up front;
 * 2. the deep hash of `["dataitem", "1", signatureType, owner, target(∅), anchor, tags(Avro), data]`
 *    (arbundles' `getSignatureData` list) is signed with `signer`, and the signature is checked
 *    with arbundles' verifier for that type;
 * 3. the header built by arbundles' `createData("", signer, {tags, anchor})` with that signature
 *    (type u16 LE, signature, owner, target 0, anchor 0 | 1+32 bytes, tag count u64 LE, tag bytes u64 LE, tags)
 *    is written to `headerKey`.
 *
 * `header ++ payload` is then a valid DataItem (`DataItem.verify` accepts it) whose id is `id`.
 * `maxBytes` (payload bytes, default `env().MAX_UPLOAD_BYTES`) exceeded → {@link PayloadTooLargeError}.
 * Invalid tags → AppError `invalid_request`. On any failure (including the source erroring and
 * `signal` aborting) both keys are deleted and the error is rethrown.
 */
export async function storeSignedDataItem(opts: {
  source: ByteSource;
  tags: Tag[];
  /** ANS-104 `anchor`: exactly 32 bytes; makes the id unique when the same bytes are stored twice. */
  anchor?: string;
  signer: Signer;
  store: ObjectStore;
  payloadKey: string;
  headerKey: string;
  maxBytes?: bigint;
  contentType?: string;
  signal?: AbortSignal;
}): Promise<StoredDataItem> {
  const { signer, store, payloadKey, headerKey, signal } = opts;
  const problem = tagsProblem(opts.tags);
  if (problem) throw new AppError("invalid_request", `Invalid ANS-104 tags: ${problem}`);
  let header;
  try {
    header = createData("", signer, { tags: opts.tags, ...(opts.anchor ? { anchor: opts.anchor } : {}) });
  } catch (error) {
    throw new AppError("invalid_request", `Cannot build the ANS-104 header: ${(error as Error).message}`);
  }
  const maxBytes = opts.maxBytes ?? env().MAX_UPLOAD_BYTES;
  try {
    const { hash, stats } = await streamPayload({
      source: byteChunks(opts.source),
      maxBytes,
      store,
      payloadKey,
      contentType: opts.contentType,
      signal,
      parts: signatureParts(signer.signatureType, header.rawOwner, header.rawTarget, header.rawAnchor, header.rawTags),
    });
    const signature = Buffer.from(await signer.sign(hash));
    if (signature.byteLength !== signer.signatureLength) {
      throw new Error(`Signer produced ${signature.byteLength} signature bytes, expected ${signer.signatureLength}`);
    }
    if (!(await verifySignature(signer.signatureType, header.rawOwner, hash, signature))) {
      throw new Error("The server's ANS-104 signature does not verify; check ANS104_SIGNER");
    }
    await header.setSignature(signature);
    const headerBytes = header.getRaw();
    await store.put(headerKey, single(headerBytes), { signal });
    return {
      id: header.id,
      signatureType: signer.signatureType,
      owner: header.owner,
      signer: ownerAddress(signer.signatureType, header.rawOwner),
      size: stats.size,
      dataOffset: BigInt(headerBytes.byteLength),
      sha256: stats.sha256,
      tags: opts.tags.map((t) => ({ name: t.name, value: t.value })),
    };
  } catch (error) {
    await discard(store, payloadKey, headerKey);
    throw error;
  }
}

/**
 * Signs, as the payload of a new ANS-104 DataItem, an object that is already in `store` at
 * `payloadKey` (a direct upload: the client put the bytes in the bucket), without holding it in
 * memory: the stored bytes are streamed back from the store once, counted, hashed (SHA-256) and fed
 * to arbundles' `deepHash` with the other elements of the signature list (see
 * {@link storeSignedDataItem}); the deep hash is signed with `signer`, and the signature is verified
 * with arbundles' verifier over that same hash — so the item is known to verify over the payload as
 * stored, not as announced. The header is then written to `headerKey`.
 *
 * The stored size must equal `size` (the size the client declared), else AppError
 * `invalid_request` (the payload is left for the caller to discard). Storage failures surface as
 * the store reports them. On any failure `headerKey` is deleted; `payloadKey` never is.
 */
export async function signStoredPayload(opts: {
  store: ObjectStore;
  payloadKey: string;
  headerKey: string;
  size: bigint;
  tags: Tag[];
  anchor?: string;
  signer: Signer;
  signal?: AbortSignal;
}): Promise<StoredDataItem> {
  const { signer, store, signal } = opts;
  const problem = tagsProblem(opts.tags);
  if (problem) throw new AppError("invalid_request", `Invalid ANS-104 tags: ${problem}`);
  const header = createData("", signer, { tags: opts.tags, ...(opts.anchor ? { anchor: opts.anchor } : {}) });
  const sha256 = createHash("sha256");
  let size = 0n;
  const body = await store.get(opts.payloadKey);
  async function* measured(): AsyncGenerator<Buffer> {
    for await (const chunk of byteChunks(body)) {
      signal?.throwIfAborted();
      size += BigInt(chunk.byteLength);
      if (size > opts.size) throw new AppError("invalid_request", `The stored object is larger than the declared ${opts.size} bytes.`);
      sha256.update(chunk);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  try {
    const parts = signatureParts(signer.signatureType, header.rawOwner, header.rawTarget, header.rawAnchor, header.rawTags);
    const hash = await deepHash([...parts, measured()]);
    if (size !== opts.size) {
      throw new AppError("invalid_request", `The stored object has ${size} bytes, not the declared ${opts.size}.`);
    }
    const signature = Buffer.from(await signer.sign(hash));
    if (!(await verifySignature(signer.signatureType, header.rawOwner, hash, signature))) {
      throw new Error("The server's ANS-104 signature does not verify over the stored payload; check ANS104_SIGNER");
    }
    await header.setSignature(signature);
    const headerBytes = header.getRaw();
    await store.put(opts.headerKey, single(headerBytes), { signal });
    return {
      id: header.id,
      signatureType: signer.signatureType,
      owner: header.owner,
      signer: ownerAddress(signer.signatureType, header.rawOwner),
      size,
      dataOffset: BigInt(headerBytes.byteLength),
      sha256: sha256.digest("hex"),
      tags: opts.tags.map((t) => ({ name: t.name, value: t.value })),
    };
  } catch (error) {
    await discard(store, opts.headerKey);
    throw error;
  }
}

/**
 * The list whose arbundles `deepHash` is the DataItem's signature message, minus the data element:
 * `["dataitem", "1", signatureType as decimal string, rawOwner, rawTarget, rawAnchor, rawTags]`.
 * This is arbundles' `getSignatureData` (`src/ar-data-base.ts`), which the package does not export
 * (it is a default export that `export *` drops). The data blob is appended by the caller.
 */
export function signatureParts(
  signatureType: number,
  rawOwner: Uint8Array,
  rawTarget: Uint8Array,
  rawAnchor: Uint8Array,
  rawTags: Uint8Array,
): Uint8Array[] {
  return [
    Buffer.from("dataitem"),
    Buffer.from("1"),
    Buffer.from(signatureType.toString()),
    rawOwner,
    rawTarget,
    rawAnchor,
    rawTags,
  ];
}

/**
 * Checks `signature` over the 48-byte deep hash with arbundles' own verifier for the signature type
 * (`indexToType[type].verify`, as `DataItem.verify` does), plus two checks arbundles 0.11 lacks and
 * without which an item's id or signer is forgeable:
 * - type 3 (Ethereum): arbundles ignores the recovery byte `v`, so 256 different signatures (and
 *   ids) verify for one signed item; here the signature must also recover to the owner's address.
 * - type 6 (MultiAptos): arbundles accepts an empty signer bitmap, i.e. no signature at all; here at
 *   least `threshold` (the owner's last byte, ≥ 1) signatures must be present.
 * Resolves false (never throws) for a bad or malformed signature.
 */
export async function verifySignature(
  signatureType: number,
  rawOwner: Buffer,
  hash: Uint8Array,
  signature: Buffer,
): Promise<boolean> {
  const verifier = (indexToType as Record<number, { verify(pk: Buffer, m: Uint8Array, s: Uint8Array): unknown } | undefined>)[
    signatureType
  ];
  if (!verifier) return false;
  try {
    if (!(await verifier.verify(rawOwner, hash, signature))) return false;
    if (signatureType === 3) {
      const recovered = await recoverMessageAddress({ message: { raw: hash }, signature: `0x${signature.toString("hex")}` });
      return recovered === ownerAddress(3, rawOwner);
    }
    if (signatureType === 6) {
      const sigLength = SIG_CONFIG[6].sigLength;
      const bitmap = signature.subarray(sigLength - 4);
      let present = 0;
      for (const byte of bitmap) for (let bit = 0; bit < 8; bit++) present += (byte >> bit) & 1;
      const threshold = rawOwner[rawOwner.byteLength - 1] ?? 0;
      return threshold >= 1 && present >= threshold;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The signer's address as its ecosystem writes it, derived from the DataItem owner field:
 * 1 Arweave → base64url(SHA-256(modulus)); 3 Ethereum → EIP-55 address of the public key;
 * 7 TypedEthereum → the EIP-55 form of the address the owner holds; 2 ED25519 and 4 Solana →
 * base58 public key; 5 Aptos → `0x` + SHA3-256(publicKey ‖ 0x00); 6 MultiAptos (no canonical
 * single address) → base64url(SHA-256(owner)). Throws for an unknown type or a malformed owner.
 */
export function ownerAddress(signatureType: number, rawOwner: Uint8Array): string {
  const owner = Buffer.from(rawOwner.buffer, rawOwner.byteOffset, rawOwner.byteLength);
  switch (signatureType) {
    case 1:
    case 6:
      return createHash("sha256").update(owner).digest("base64url");
    case 3:
      return publicKeyToAddress(`0x${owner.toString("hex")}`);
    case 7:
      return getAddress(owner.toString("latin1").toLowerCase());
    case 2:
    case 4:
      return base58(owner);
    case 5:
      return `0x${createHash("sha3-256").update(owner).update(Buffer.from([0])).digest("hex")}`;
    default:
      throw new Error(`Unsupported ANS-104 signature type ${signatureType}`);
  }
}

/** Facts gathered while the payload streamed through. */
export interface PayloadStats {
  size: bigint;
  sha256: string;
}

/**
 * The shared single pass of both storing functions: pulls `source`, enforces `maxBytes`, hashes
 * SHA-256, and tees every chunk (lockstep, at most one chunk in flight) to `store.put(payloadKey)`
 * and to arbundles' `deepHash([...parts, data])`. Resolves with the deep hash once both consumers
 * are done; rejects with the first failure (the source's own error, {@link PayloadTooLargeError},
 * the store's error or the abort reason) after both have stopped. Does not clean up `payloadKey`.
 */
export async function streamPayload(opts: {
  source: AsyncIterable<Uint8Array>;
  maxBytes: bigint;
  store: ObjectStore;
  payloadKey: string;
  parts: Uint8Array[];
  contentType?: string;
  signal?: AbortSignal;
}): Promise<{ hash: Uint8Array; stats: PayloadStats }> {
  const { signal } = opts;
  signal?.throwIfAborted();
  const sha256 = createHash("sha256");
  let size = 0n;
  async function* measured(): AsyncGenerator<Buffer> {
    for await (const chunk of opts.source) {
      size += BigInt(chunk.byteLength);
      if (size > opts.maxBytes) throw new PayloadTooLargeError(opts.maxBytes);
      sha256.update(chunk);
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  const tee = new LockstepTee(measured());
  const [toStore, toHash] = tee.branches;
  let aborted: { reason: unknown } | undefined;
  const onAbort = (): void => {
    aborted ??= { reason: signal?.reason };
    tee.abort(signal?.reason);
  };
  const failBoth = (error: unknown): never => {
    tee.abort(error);
    throw error;
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const [stored, hashed] = await Promise.allSettled([
      (async () => opts.store.put(opts.payloadKey, toStore, { contentType: opts.contentType, signal }))().catch(failBoth),
      deepHash([...opts.parts, toHash]).catch(failBoth),
    ]);
    if (aborted) throw aborted.reason;
    if (stored.status === "rejected" || hashed.status === "rejected") {
      const errors = [stored, hashed].flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
      throw errors.find((e) => !(e instanceof ConsumerStoppedError)) ?? errors[0];
    }
    if (stored.value.size !== size) throw new Error(`Store wrote ${stored.value.size} bytes, expected ${size}`);
    return { hash: hashed.value, stats: { size, sha256: sha256.digest("hex") } };
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/** Raised in one branch of the tee when the other branch's consumer gave up; never the root cause. */
class ConsumerStoppedError extends Error {
  constructor() {
    super("A consumer of the payload stopped early");
    this.name = "ConsumerStoppedError";
  }
}

/**
 * Splits one async iterable into two that advance in lockstep: the source is pulled once per chunk,
 * a branch that runs ahead waits until the other has taken the current chunk, so memory holds at
 * most one chunk whatever the speed of either consumer. Errors from the source reach both branches;
 * `abort(reason)` (or a branch's consumer stopping early) fails the other branch and closes the
 * source, so neither consumer can hang.
 */
class LockstepTee<T> {
  readonly branches: [AsyncIterable<T>, AsyncIterable<T>];
  private readonly iterator: AsyncIterator<T>;
  private current: Promise<IteratorResult<T>> | undefined;
  private fetched = 0;
  private readonly taken: [number, number] = [0, 0];
  private readonly finished: [boolean, boolean] = [false, false];
  private waiter: (() => void) | undefined;
  private failure: { reason: unknown } | undefined;
  /** Rejecters of the branch waits in progress; `abort` rejects them all. */
  private readonly pending = new Set<(reason: unknown) => void>();

  constructor(source: AsyncIterable<T>) {
    this.iterator = source[Symbol.asyncIterator]();
    this.branches = [this.branch(0), this.branch(1)];
  }

  abort(reason: unknown): void {
    if (this.failure) return;
    this.failure = { reason };
    for (const reject of this.pending) reject(reason);
    this.pending.clear();
    this.iterator.return?.().catch(() => undefined);
  }

  private branch(index: 0 | 1): AsyncIterable<T> {
    const iterator: AsyncIterableIterator<T> = {
      next: () => this.next(index),
      return: async () => {
        if (!this.finished[index]) this.abort(new ConsumerStoppedError());
        this.finished[index] = true;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private async next(index: 0 | 1): Promise<IteratorResult<T>> {
    if (this.failure) throw this.failure.reason;
    if (this.finished[index]) return { done: true, value: undefined };
    const other = index === 0 ? 1 : 0;
    if (this.taken[index] === this.fetched) {
      while (!this.finished[other] && this.taken[other] < this.fetched) {
        await this.abortable(new Promise<void>((resolve) => (this.waiter = resolve)));
      }
      this.current = this.iterator.next();
      this.current.catch(() => undefined);
      this.fetched += 1;
    }
    const result = await this.abortable(this.current as Promise<IteratorResult<T>>);
    this.taken[index] += 1;
    if (result.done) this.finished[index] = true;
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
    return result;
  }

  /**
   * `promise`, or a rejection as soon as the tee is aborted. Deliberately not
   * `Promise.race([promise, abortedForever])`: every race leaves a reaction (holding its result, a
   * chunk) on the long-lived promise, which would retain the whole payload until the end.
   */
  private abortable<R>(promise: Promise<R>): Promise<R> {
    if (this.failure) return Promise.reject(this.failure.reason);
    return new Promise<R>((resolve, reject) => {
      this.pending.add(reject);
      promise.then(
        (value) => {
          this.pending.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(reject);
          reject(error);
        },
      );
    });
  }
}

function single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield bytes;
  })();
}

/** Best-effort removal of both keys after a failure; the original error matters more. */
export async function discard(store: ObjectStore, ...keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => store.delete(key).catch(() => undefined)));
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}
