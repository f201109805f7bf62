import "server-only";
import { Readable } from "node:stream";
import busboy from "busboy";
import { AppError } from "@/lib/errors";

const TRUNCATED = "The multipart body ended before the file did (a truncated upload); nothing was stored.";

/** A busboy file stream whose parse errors become a 400 (the client sent a broken body). */
async function* guarded(stream: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  try {
    yield* stream;
  } catch {
    throw new AppError("invalid_request", TRUNCATED);
  }
}

/** An upload body, whichever way it came. */
export type Upload = {
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  name?: string;
  contentType?: string;
  /** Declared size in bytes (raw bodies with Content-Length only). */
  declaredSize?: bigint;
  /** Whether the body is an already signed ANS-104 DataItem. */
  signed: boolean;
  /** Resolves when a multipart body has been fully consumed (rejects on a parse error). */
  done: Promise<void>;
};

/** Media type and flag that mark a creator-signed ANS-104 DataItem upload. */
export const ANS104_MEDIA_TYPE = "application/vnd.ans104";
export const SIGNED_HEADER = "x-vend-signed";

function fileName(header: string | null): string | undefined {
  if (!header) return undefined;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

/**
 * Reads the upload of `POST /api/objects` without buffering it:
 * - `multipart/form-data`: the first file part, streamed through busboy (its file name and type);
 * - anything else: the raw body, with the file name from `X-Filename` (percent-encoded UTF-8) and
 *   the type from `Content-Type`. `Content-Type: application/vnd.ans104` or `X-Vend-Signed: true`
 *   marks a creator-signed DataItem.
 * A raw request without a body is an empty upload (which `createObject` refuses as `empty_file`).
 * @throws AppError `invalid_request` (400) for a multipart request without a body, a boundary or a
 *   file part, or one that ends early (also from the returned body stream and `done`).
 */
export async function readUpload(req: Request): Promise<Upload> {
  const type = req.headers.get("content-type") ?? "";
  const signedFlag = req.headers.get(SIGNED_HEADER) === "true";
  if (!type.toLowerCase().startsWith("multipart/form-data")) {
    const length = req.headers.get("content-length");
    const signed = signedFlag || type.toLowerCase().startsWith(ANS104_MEDIA_TYPE);
    return {
      body: req.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
      name: fileName(req.headers.get("x-filename")),
      contentType: signed ? undefined : type || undefined,
      declaredSize: length && /^\d+$/.test(length) ? BigInt(length) : undefined,
      signed,
      done: Promise.resolve(),
    };
  }
  if (!req.body) throw new AppError("invalid_request", "The request has no body.");
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { "content-type": type }, limits: { files: 1 } });
  } catch {
    throw new AppError("invalid_request", "The multipart Content-Type has no boundary parameter.");
  }
  const done = new Promise<void>((resolve, reject) => {
    parser.once("close", resolve);
    parser.once("error", () => reject(new AppError("invalid_request", TRUNCATED)));
  });
  done.catch(() => undefined);
  const file = new Promise<Upload>((resolve, reject) => {
    parser.once("file", (_field, stream, info) => {
      const signed = signedFlag || info.mimeType === ANS104_MEDIA_TYPE;
      resolve({
        body: guarded(stream),
        name: info.filename || undefined,
        contentType: signed ? undefined : info.mimeType,
        signed,
        done,
      });
    });
    parser.once("close", () => reject(new AppError("invalid_request", "The multipart body has no file part.")));
    parser.once("error", () => reject(new AppError("invalid_request", "The multipart body could not be parsed.")));
  });
  Readable.fromWeb(req.body as never).pipe(parser);
  return file;
}
