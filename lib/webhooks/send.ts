import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isInternalAddress } from "@/lib/webhooks/targets";

/** What one HTTP attempt produced: a status code when the receiver answered, else an error. */
export type SendResult = {
  statusCode: number | null;
  error: string | null;
  /** The start of the answer's body (at most {@link BODY_LIMIT} bytes, UTF-8). */
  responseBody: string | null;
  durationMs: number;
};

const BODY_LIMIT = 1024;

/** A DNS lookup that refuses internal addresses (see lib/webhooks/targets.ts). */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 0);
    const list = addresses as LookupAddress[];
    const refused = list.find((a) => isInternalAddress(a.address));
    if (refused) {
      return callback(Object.assign(new Error(`${hostname} resolves to an internal address (${refused.address})`), { code: "EINTERNAL" }), "", 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0]!;
    callback(null, first.address, first.family);
  });
};

/**
 * POSTs `body` to `url` with `headers`, without following redirects (a 3xx is an answer that is
 * not a 2xx). The whole attempt — connect, headers, the first KiB of the body — must finish within
 * `timeoutMs`, else it counts as a timeout. Internal addresses are refused at connection time
 * unless `allowInternal`. Never throws: failures come back as `error`.
 */
export function postWebhook(opts: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowInternal: boolean;
}): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<SendResult>((resolve) => {
    let done = false;
    const finish = (result: Omit<SendResult, "durationMs">) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const url = new URL(opts.url);
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    if (!opts.allowInternal && isInternalAddress(hostname)) {
      resolve({ statusCode: null, error: `${hostname} is an internal address`, responseBody: null, durationMs: 0 });
      return;
    }
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      headers: { ...opts.headers, "content-length": String(Buffer.byteLength(opts.body)) },
      ...(opts.allowInternal ? {} : { lookup: publicOnlyLookup }),
      agent: false,
    });
    // A receiver that answered but is slow to send its body has answered: its status counts.
    let answered: (() => void) | null = null;
    const timer = setTimeout(() => {
      if (answered) answered();
      else finish({ statusCode: null, error: `timeout: no answer within ${opts.timeoutMs} ms`, responseBody: null });
      request.destroy();
    }, opts.timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      finish({ statusCode: null, error: error.code ? `${error.code}: ${error.message}` : error.message, responseBody: null });
    });
    request.on("response", (response) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const complete = () => {
        finish({ statusCode, error: null, responseBody: Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString("utf8") || null });
        response.destroy();
      };
      answered = complete;
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= BODY_LIMIT) complete();
      });
      response.on("end", complete);
      response.on("error", complete);
    });
    request.end(opts.body);
  });
}
