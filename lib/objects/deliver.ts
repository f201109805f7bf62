import "server-only";
import { AppError } from "@/lib/errors";
import type { StoredObject } from "@/lib/generated/prisma/client";
import { storage } from "@/lib/storage";
import { isDirectStore, StorageNotFoundError, type DirectStore, type ObjectStore } from "@/lib/storage/types";

/** What to deliver: the raw payload (default) or the whole signed ANS-104 DataItem. */
export type DeliveryFormat = "raw" | "ans104";

/** An inclusive byte range. */
export type ByteRange = { start: bigint; end: bigint };

/**
 * Parses a single-range `Range` header (RFC 9110 §14.1.2) against `size` bytes.
 * Returns null to serve the whole body (no header, another unit, or several ranges, which
 * RFC 9110 lets a server ignore).
 * @throws AppError `range_not_satisfiable` (416) for a syntactically valid but unsatisfiable range.
 */
export function parseRange(header: string | null, size: bigint): ByteRange | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === "" && b === "") return null;
  let start: bigint;
  let end: bigint;
  if (a === "") {
    const suffix = BigInt(b!);
    if (suffix === 0n || size === 0n) throw unsatisfiable(size);
    start = suffix >= size ? 0n : size - suffix;
    end = size - 1n;
  } else {
    start = BigInt(a!);
    end = b === "" ? size - 1n : BigInt(b!);
    if (end >= size) end = size - 1n;
    if (start >= size || start > end) throw unsatisfiable(size);
  }
  return { start, end };
}

function unsatisfiable(size: bigint): AppError {
  return new AppError("range_not_satisfiable", `The requested range is not satisfiable (size ${size} bytes).`, {
    size: size.toString(),
  });
}

/** Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name. */
export function contentDisposition(fileName: string, kind: "attachment" | "inline" = "attachment"): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * Streams `[start, end]` of header ++ payload without buffering either part. The first part is
 * opened before returning, so a missing object fails here (before any status is sent) rather than
 * in the middle of a 200.
 */
async function concatenated(object: StoredObject, range: ByteRange): Promise<ReadableStream<Uint8Array>> {
  const store = storage();
  const headerLen = object.dataOffset;
  const parts: { key: string; start: bigint; end: bigint }[] = [];
  if (range.start < headerLen) {
    parts.push({ key: object.headerKey, start: range.start, end: range.end < headerLen ? range.end : headerLen - 1n });
  }
  if (range.end >= headerLen) {
    const start = range.start > headerLen ? range.start - headerLen : 0n;
    parts.push({ key: object.storageKey, start, end: range.end - headerLen });
  }
  const open = async (part: (typeof parts)[number]) => (await store.get(part.key, { start: part.start, end: part.end })).getReader();
  let index = 1;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined = await open(parts[0]!);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (!reader) {
          const part = parts[index++];
          if (!part) return controller.close();
          reader = await open(part);
        }
        const { done, value } = await reader.read();
        if (done) {
          reader = undefined;
          continue;
        }
        controller.enqueue(value);
        return;
      }
    },
    async cancel(reason) {
      await reader?.cancel(reason);
    },
  });
}

/**
 * How long a presigned download URL stays valid: 2 minutes. S3 checks it when the download starts,
 * not while it runs, so a long download is not cut; a resumed one comes back through the gate.
 */
const PRESIGNED_GET_SECONDS = 120;

/**
 * Whether to answer with a redirect to a short-lived presigned GET instead of streaming through
 * this function (Vercel caps a function's duration; the bucket serves any size, with ranges):
 * - only with a store clients can reach (S3) and for the raw payload (`ans104` is header ++
 *   payload, two keys: it streams);
 * - never for a paid answer: x402 clients read `PAYMENT-RESPONSE` / `X-PAYMENT-RESPONSE` on the
 *   response they asked for (a redirect's final response would not carry it), so the official
 *   clients' interop stays as it is; the gate passes those headers, a receipted download does not.
 * So a receipted download (the pay page's download, a resumed one) and the owner's download
 * redirect; a paid download streams.
 */
function redirects(store: ObjectStore, opts: { format: DeliveryFormat; headers?: Headers }): store is DirectStore {
  if (opts.format !== "raw" || !isDirectStore(store)) return false;
  const paid = opts.headers && (opts.headers.has("payment-response") || opts.headers.has("x-payment-response"));
  return !paid;
}

/**
 * Builds the response for an object: 200 with the whole body, 206 with
 * `Content-Range: bytes start-end/total` for a single satisfiable range, or 416 with
 * `Content-Range: bytes *\/total` and a JSON `range_not_satisfiable` error for an unsatisfiable
 * one (RFC 9110 §15.5.17); `Accept-Ranges: bytes` always. `total` is the payload size (`raw`) or
 * header + payload (`ans104`).
 * `raw`: the payload with its own content type and file name. `ans104`: the whole signed DataItem
 * (`application/octet-stream`, file name `<id>.ans104`), so buyers can check who signed it.
 * With S3 storage, a download that is not a paid answer is instead a 302 to a presigned GET of the
 * payload valid {@link PRESIGNED_GET_SECONDS} s, with the same content type and file name (see
 * {@link redirects}); the client sends its `Range` there.
 * @throws AppError `object_gone` (410) when the bytes are missing from storage.
 */
export async function deliverObject(
  object: StoredObject,
  opts: { rangeHeader: string | null; format: DeliveryFormat; headers?: Headers },
): Promise<Response> {
  const total = opts.format === "ans104" ? object.dataOffset + object.size : object.size;
  const headers = new Headers(opts.headers);
  headers.set("Accept-Ranges", "bytes");
  // no-transform: the server's gzip must not re-encode a download (it would drop Content-Length
  // and break byte ranges).
  headers.set("Cache-Control", "private, no-store, no-transform");
  headers.set("X-Content-Type-Options", "nosniff");
  let range: ByteRange | null;
  try {
    range = parseRange(opts.rangeHeader, total);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== "range_not_satisfiable") throw error;
    headers.set("Content-Range", `bytes */${total}`);
    headers.set("Content-Type", "application/json");
    return new Response(JSON.stringify(error.toJSON()), { status: 416, headers });
  }
  const span = range ?? { start: 0n, end: total - 1n };
  headers.set("X-DataItem-Id", object.dataItemId);
  const store = storage();
  if (total > 0n && redirects(store, opts)) {
    if (!(await store.head(object.storageKey))) {
      throw new AppError("object_gone", "The file behind this link is no longer available.");
    }
    const location = await store.presignGet(object.storageKey, {
      expiresIn: PRESIGNED_GET_SECONDS,
      contentType: object.contentType,
      contentDisposition: contentDisposition(object.name),
    });
    headers.delete("Accept-Ranges");
    headers.set("Location", location);
    return new Response(null, { status: 302, headers });
  }
  if (opts.format === "ans104") {
    headers.set("Content-Type", "application/octet-stream");
    headers.set("Content-Disposition", contentDisposition(`${object.dataItemId}.ans104`));
  } else {
    headers.set("Content-Type", object.contentType);
    headers.set("Content-Disposition", contentDisposition(object.name));
  }
  if (total === 0n) {
    headers.set("Content-Length", "0");
    return new Response(null, { status: 200, headers });
  }
  headers.set("Content-Length", (span.end - span.start + 1n).toString());
  if (range) headers.set("Content-Range", `bytes ${span.start}-${span.end}/${total}`);
  let body: ReadableStream<Uint8Array>;
  try {
    body =
      opts.format === "ans104"
        ? await concatenated(object, span)
        : await store.get(object.storageKey, range ? span : undefined);
  } catch (error) {
    if (error instanceof StorageNotFoundError) {
      throw new AppError("object_gone", "The file behind this link is no longer available.");
    }
    throw error;
  }
  return new Response(body, { status: range ? 206 : 200, headers });
}
