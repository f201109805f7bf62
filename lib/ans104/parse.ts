import "server-only";
import { createHash } from "node:crypto";
import { deserializeTags, SIG_CONFIG } from "arbundles";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  discard,
  ownerAddress,
  signatureParts,
  streamPayload,
  TAG_LIMITS,
  verifySignature,
  type StoredDataItem,
  type Tag,
} from "@/lib/ans104/stream-sign";
import { byteChunks, type ByteSource, type ObjectStore } from "@/lib/storage/types";

/** The upload is not a well-formed, correctly signed ANS-104 DataItem. Nothing is stored. Maps to 400. */
export class InvalidDataItemError extends AppError {
  constructor(reason: string) {
    super("invalid_data_item", `Invalid ANS-104 DataItem: ${reason}`);
    this.name = "InvalidDataItemError";
  }
}

/**
 * The value of the first tag called `name` (exact, case-sensitive, as ANS-104 tags are), or
 * `undefined` when there is none.
 */
export function dataItemTag(tags: readonly Tag[], name: string): string | undefined {
  return tags.find((tag) => tag.name === name)?.value;
}

/**
 * Streams an already serialized, creator-signed ANS-104 DataItem from `source` into `store`
 * without holding its data in memory:
 *
 * 1. parses the header incrementally (at most ~7 KiB is buffered): signature type u16 LE (must be
 *    one arbundles verifies: 1 Arweave, 2 ED25519, 3 Ethereum, 4 Solana, 5 InjectedAptos,
 *    6 MultiAptos, 7 TypedEthereum), signature and owner with lengths from arbundles' `SIG_CONFIG`,
 *    target and anchor (presence byte 0 or 1, then 32 bytes), tag count u64 LE (≤ 128), tag bytes
 *    length u64 LE (≤ 4096), and the Avro tag block, which is checked structurally (bounded walk)
 *    before arbundles' `deserializeTags` decodes it, since that function loops without bound on
 *    crafted input;
 * 2. streams the rest (the data section) to `payloadKey` while hashing it (SHA-256, and SHA-384
 *    inside arbundles' `deepHash`), enforcing `maxBytes` on the data section (default
 *    `env().MAX_UPLOAD_BYTES`, the same limit as server-signed uploads);
 * 3. verifies the signature over the deep hash with arbundles' verifier for the type (see
 *    `verifySignature` for the two extra checks), then writes the header bytes to `headerKey`.
 *
 * `header ++ payload` in the store is byte for byte the uploaded item. Returns the creator's
 * `signatureType`, `owner` and `signer`. Throws {@link InvalidDataItemError} for a malformed,
 * truncated or badly signed item, {@link PayloadTooLargeError} over `maxBytes`, the source's own
 * error or a storage error otherwise; on every failure both keys are deleted.
 */
export async function storeVerifiedDataItem(opts: {
  source: ByteSource;
  store: ObjectStore;
  payloadKey: string;
  headerKey: string;
  maxBytes?: bigint;
  contentType?: string;
  signal?: AbortSignal;
}): Promise<StoredDataItem> {
  const { store, payloadKey, headerKey, signal } = opts;
  const maxBytes = opts.maxBytes ?? env().MAX_UPLOAD_BYTES;
  const reader = new ChunkReader(byteChunks(opts.source)[Symbol.asyncIterator]());
  try {
    const header = await readHeader(reader);
    const { hash, stats } = await streamPayload({
      source: reader.rest(),
      maxBytes,
      store,
      payloadKey,
      contentType: opts.contentType,
      signal,
      parts: signatureParts(header.signatureType, header.owner, header.target, header.anchor, header.tagBytes),
    });
    if (!(await verifySignature(header.signatureType, header.owner, hash, header.signature))) {
      throw new InvalidDataItemError("the signature does not verify (wrong key, altered bytes or truncated data)");
    }
    await store.put(headerKey, single(header.bytes), { signal });
    return {
      id: createHash("sha256").update(header.signature).digest("base64url"),
      signatureType: header.signatureType,
      owner: header.owner.toString("base64url"),
      signer: ownerAddress(header.signatureType, header.owner),
      size: stats.size,
      dataOffset: BigInt(header.bytes.byteLength),
      sha256: stats.sha256,
      tags: header.tags,
    };
  } catch (error) {
    reader.close();
    await discard(store, payloadKey, headerKey);
    throw error;
  }
}

interface ParsedHeader {
  signatureType: number;
  signature: Buffer;
  owner: Buffer;
  target: Buffer;
  anchor: Buffer;
  tagBytes: Buffer;
  tags: Tag[];
  /** The whole serialized header, as received. */
  bytes: Buffer;
}

async function readHeader(reader: ChunkReader): Promise<ParsedHeader> {
  const typeBytes = await reader.read(2, "signature type");
  const signatureType = typeBytes.readUInt16LE(0);
  const config = (SIG_CONFIG as Record<number, { sigLength: number; pubLength: number } | undefined>)[signatureType];
  if (!config) throw new InvalidDataItemError(`unsupported signature type ${signatureType}`);
  const signature = await reader.read(config.sigLength, "signature");
  const owner = await reader.read(config.pubLength, "owner");
  const target = await readOptional32(reader, "target");
  const anchor = await readOptional32(reader, "anchor");
  const counts = await reader.read(16, "tag counts");
  const tagCount = counts.readBigUInt64LE(0);
  const tagByteLength = counts.readBigUInt64LE(8);
  if (tagCount > BigInt(TAG_LIMITS.maxTags)) throw new InvalidDataItemError(`${tagCount} tags (at most ${TAG_LIMITS.maxTags})`);
  if (tagByteLength > BigInt(TAG_LIMITS.maxTagBytes)) {
    throw new InvalidDataItemError(`${tagByteLength} tag bytes (at most ${TAG_LIMITS.maxTagBytes})`);
  }
  const tagBytes = await reader.read(Number(tagByteLength), "tags");
  const problem = tagEncodingProblem(tagBytes, Number(tagCount));
  if (problem) throw new InvalidDataItemError(`malformed tags: ${problem}`);
  let tags: Tag[] = [];
  if (tagCount > 0n) {
    try {
      tags = deserializeTags(tagBytes);
    } catch (error) {
      throw new InvalidDataItemError(`malformed tags: ${(error as Error).message}`);
    }
    if (BigInt(tags.length) !== tagCount) throw new InvalidDataItemError(`declares ${tagCount} tags but holds ${tags.length}`);
  }
  return { signatureType, signature, owner, target, anchor, tagBytes, tags, bytes: reader.consumed() };
}

async function readOptional32(reader: ChunkReader, field: "target" | "anchor"): Promise<Buffer> {
  const presence = (await reader.read(1, `${field} presence byte`))[0];
  if (presence === 0) return Buffer.alloc(0);
  if (presence !== 1) throw new InvalidDataItemError(`${field} presence byte is ${presence} (must be 0 or 1)`);
  return reader.read(32, field);
}

/**
 * Walks an Avro `array<{name: bytes, value: bytes}>` block list with hard bounds and returns why it
 * is not a valid ANS-104 tag block of exactly `count` tags, or `null`. Checks: zig-zag varints of at
 * most 5 bytes, non-negative lengths inside the buffer, 1–1024-byte names and 1–3072-byte values,
 * the total equal to `count`, the terminating 0 block, and no trailing bytes. An empty block is
 * valid for zero tags (arbundles writes none then).
 */
function tagEncodingProblem(bytes: Buffer, count: number): string | null {
  if (bytes.byteLength === 0) return count === 0 ? null : `${count} tags declared but the tag block is empty`;
  let pos = 0;
  const readLong = (): number | null => {
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = bytes[pos++];
      if (byte === undefined) return null;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    return null;
  };
  let total = 0;
  for (;;) {
    let blockCount = readLong();
    if (blockCount === null) return "truncated or oversized block count";
    if (blockCount === 0) break;
    if (blockCount < 0) {
      blockCount = -blockCount;
      const blockSize = readLong();
      if (blockSize === null || blockSize < 0) return "bad block size";
    }
    total += blockCount;
    if (total > count) return `more tags than the ${count} declared`;
    for (let i = 0; i < blockCount; i++) {
      for (const [field, max] of [
        ["name", TAG_LIMITS.maxNameBytes],
        ["value", TAG_LIMITS.maxValueBytes],
      ] as const) {
        const length = readLong();
        if (length === null || length < 0 || pos + length > bytes.byteLength) return `bad ${field} length`;
        if (length < 1 || length > max) return `tag ${field} must be 1–${max} bytes, got ${length}`;
        pos += length;
      }
    }
  }
  if (pos !== bytes.byteLength) return `${bytes.byteLength - pos} trailing bytes after the tags`;
  if (total !== count) return `declares ${count} tags but holds ${total}`;
  return null;
}

/**
 * Pull-based reader over a chunk iterator: `read(n)` returns exactly `n` bytes (views into the
 * received chunks when possible), `consumed()` the header bytes read so far, and `rest()` the
 * unread bytes followed by the remainder of the source, without copying data chunks.
 */
class ChunkReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly header: Buffer[] = [];
  private ended = false;

  constructor(private readonly iterator: AsyncIterator<Uint8Array>) {}

  async read(length: number, field: string): Promise<Buffer> {
    while (this.pending.byteLength < length) {
      const next = this.ended ? { done: true as const, value: undefined } : await this.iterator.next();
      if (next.done) {
        this.ended = true;
        throw new InvalidDataItemError(`truncated: the item ends inside the ${field}`);
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      this.pending = this.pending.byteLength === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    }
    const out = Buffer.from(this.pending.subarray(0, length));
    this.pending = this.pending.subarray(length);
    this.header.push(out);
    return out;
  }

  consumed(): Buffer {
    return Buffer.concat(this.header);
  }

  async *rest(): AsyncGenerator<Uint8Array> {
    const first = this.pending;
    this.pending = Buffer.alloc(0);
    if (first.byteLength > 0) yield first;
    if (this.ended) return;
    for (;;) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        return;
      }
      yield next.value;
    }
  }

  /** Releases the source without waiting: a stalled source must not hold up the caller's cleanup. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.iterator.return?.().catch(() => undefined);
  }
}

function single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield bytes;
  })();
}
