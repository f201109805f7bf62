import http from "node:http";
import type { AddressInfo } from "node:net";

/** Vercel's request body limit for functions: 4.5 MB. */
export const VERCEL_BODY_LIMIT = 4.5 * 1000 * 1000;

/** The front of the Vercel-shaped stack: see {@link startVercelProxy}. */
export type VercelProxy = {
  url: string;
  port: number;
  /** Requests forwarded to each backend, in order. */
  hits: number[];
  /** Requests refused with 413 `FUNCTION_PAYLOAD_TOO_LARGE`. */
  refused: number;
  stop(): Promise<void>;
};

/**
 * A small proxy in front of several app instances, shaped like Vercel's edge: each request goes to
 * the next backend in turn (round robin), and a request body over 4.5 MB is refused as Vercel
 * refuses it — 413 with `x-vercel-error: FUNCTION_PAYLOAD_TOO_LARGE` — whether it announces its
 * length or streams it. As on Vercel, a function gets the whole body at once: the proxy reads it
 * (4.5 MB at most) before forwarding it with its length. An oversize body is read to its end and
 * dropped before the 413 is sent, so the client is not cut off mid-upload. Host and the rest of
 * the request pass unchanged; `x-forwarded-*` are added.
 */
export async function startVercelProxy(backends: string[], port = 0): Promise<VercelProxy> {
  let next = 0;
  const state = { hits: backends.map(() => 0), refused: 0 };
  /** Drops the rest of the request body, then answers 413. */
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse) => {
    state.refused += 1;
    req.removeAllListeners("data");
    req.resume();
    const answer = () => {
      res.writeHead(413, { "content-type": "text/plain; charset=utf-8", "x-vercel-error": "FUNCTION_PAYLOAD_TOO_LARGE" });
      res.end("Request Entity Too Large\n\nFUNCTION_PAYLOAD_TOO_LARGE\n");
    };
    if (req.readableEnded) answer();
    else req.once("end", answer);
  };
  const server = http.createServer((req, res) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > VERCEL_BODY_LIMIT) return refuse(req, res);
    const chunks: Buffer[] = [];
    let seen = 0;
    const collect = (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen > VERCEL_BODY_LIMIT) return refuse(req, res);
      chunks.push(chunk);
    };
    req.on("data", collect);
    req.once("end", () => {
      if (seen > VERCEL_BODY_LIMIT) return;
      const body = Buffer.concat(chunks);
      const index = next++ % backends.length;
      state.hits[index]! += 1;
      const headers = { ...req.headers };
      delete headers["transfer-encoding"];
      const upstream = http.request(
        new URL(req.url ?? "/", backends[index]),
        {
          method: req.method,
          headers: {
            ...headers,
            ...(body.byteLength || req.headers["content-length"] ? { "content-length": String(body.byteLength) } : {}),
            "x-forwarded-for": req.socket.remoteAddress ?? "",
            "x-forwarded-host": req.headers.host ?? "",
            "x-forwarded-proto": "http",
          },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end("Bad gateway\n");
      });
      res.on("close", () => upstream.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    get hits() {
      return state.hits;
    },
    get refused() {
      return state.refused;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
