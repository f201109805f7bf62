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
 * length or streams it (the forwarded request is then cut). Host and the rest of the request pass
 * unchanged; `x-forwarded-*` are added.
 */
export async function startVercelProxy(backends: string[], port = 0): Promise<VercelProxy> {
  let next = 0;
  const state = { hits: backends.map(() => 0), refused: 0 };
  const refuse = (res: http.ServerResponse) => {
    state.refused += 1;
    if (res.headersSent) return void res.destroy();
    res.writeHead(413, { "content-type": "text/plain; charset=utf-8", "x-vercel-error": "FUNCTION_PAYLOAD_TOO_LARGE", connection: "close" });
    res.end("Request Entity Too Large\n\nFUNCTION_PAYLOAD_TOO_LARGE\n");
  };
  const server = http.createServer((req, res) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > VERCEL_BODY_LIMIT) {
      req.resume();
      return refuse(res);
    }
    const index = next++ % backends.length;
    state.hits[index]! += 1;
    const target = new URL(req.url ?? "/", backends[index]);
    const upstream = http.request(
      target,
      {
        method: req.method,
        headers: {
          ...req.headers,
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
    let seen = 0;
    req.on("data", (chunk: Buffer) => {
      seen += chunk.byteLength;
      if (seen > VERCEL_BODY_LIMIT) {
        upstream.destroy();
        req.destroy();
        refuse(res);
        return;
      }
      if (!upstream.write(chunk)) req.pause();
    });
    upstream.on("drain", () => req.resume());
    req.on("end", () => upstream.end());
    res.on("close", () => upstream.destroy());
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
