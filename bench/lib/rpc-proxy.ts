import { createWriteStream, type WriteStream } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * JSON-RPC traffic seen by the proxy: calls and summed round-trip milliseconds, per method, and the
 * HTTP round trips that carried them (`requests`: a JSON-RPC batch is one round trip, many calls).
 */
export type RpcTally = { calls: Record<string, number>; ms: Record<string, number>; requests: number };

/** A counting JSON-RPC proxy that can add latency; see {@link startRpcProxy}. */
export type RpcProxy = {
  /** URL to give clients instead of the node's. */
  url: string;
  /** A copy of the totals so far (subtract two snapshots with {@link diffTally}). */
  snapshot(): RpcTally;
  /** Milliseconds added to every round trip from now on (0: none). */
  setLatency(ms: number): void;
  latency(): number;
  stop(): Promise<void>;
};

/** The traffic between two snapshots: `after − before`, methods with no calls left out. */
export function diffTally(before: RpcTally, after: RpcTally): RpcTally {
  const out: RpcTally = { calls: {}, ms: {}, requests: after.requests - before.requests };
  for (const [method, n] of Object.entries(after.calls)) {
    const calls = n - (before.calls[method] ?? 0);
    if (calls > 0) {
      out.calls[method] = calls;
      out.ms[method] = (after.ms[method] ?? 0) - (before.ms[method] ?? 0);
    }
  }
  return out;
}

/** Total calls and milliseconds of a tally. */
export function tallyTotals(t: RpcTally): { calls: number; ms: number } {
  return {
    calls: Object.values(t.calls).reduce((a, b) => a + b, 0),
    ms: Object.values(t.ms).reduce((a, b) => a + b, 0),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts an HTTP proxy on 127.0.0.1 (a free port) in front of the JSON-RPC node at `target`, so
 * that every RPC call of the app's facilitator and of the bench's own is counted per method, with
 * its round-trip time (a batch's time is split evenly among its calls). Requests are forwarded
 * over a keep-alive connection pool; the proxy adds well under a millisecond per call, the same for
 * every path measured.
 *
 * With {@link RpcProxy.setLatency} it also stands for a real network's RPC: each HTTP round trip
 * (one call, or one JSON-RPC batch) waits that many milliseconds before it is forwarded; the node
 * still answers concurrent requests concurrently. With `logFile`, one JSON line per round trip is
 * appended: `{at, methods, ms}` (`at`: when the request arrived, Unix ms; `ms`: round trip, latency included).
 */
export async function startRpcProxy(target: string, opts: { latencyMs?: number; logFile?: string } = {}): Promise<RpcProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const tally: RpcTally = { calls: {}, ms: {}, requests: 0 };
  let latencyMs = opts.latencyMs ?? 0;
  const log: WriteStream | undefined = opts.logFile ? createWriteStream(opts.logFile, { flags: "a" }) : undefined;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let methods: string[] = [];
      try {
        const parsed = JSON.parse(body.toString("utf8")) as { method?: string } | { method?: string }[];
        methods = (Array.isArray(parsed) ? parsed : [parsed]).map((m) => m.method ?? "?");
      } catch {
        methods = ["(unparsable)"];
      }
      const t0 = performance.now();
      const delay = latencyMs;
      const forwardIt = () => {
        const forward = http.request(
          {
            host: upstream.hostname,
            port: upstream.port,
            path: upstream.pathname,
            method: req.method,
            agent,
            headers: { "content-type": req.headers["content-type"] ?? "application/json", "content-length": body.length },
          },
          (up) => {
            const parts: Buffer[] = [];
            up.on("data", (c: Buffer) => parts.push(c));
            up.on("end", () => {
              const roundTrip = performance.now() - t0;
              const share = roundTrip / Math.max(1, methods.length);
              tally.requests++;
              for (const m of methods) {
                tally.calls[m] = (tally.calls[m] ?? 0) + 1;
                tally.ms[m] = (tally.ms[m] ?? 0) + share;
              }
              log?.write(`${JSON.stringify({ at: Number((performance.timeOrigin + t0).toFixed(1)), methods, ms: Number(roundTrip.toFixed(1)) })}\n`);
              const payload = Buffer.concat(parts);
              res.writeHead(up.statusCode ?? 502, {
                "content-type": up.headers["content-type"] ?? "application/json",
                "content-length": payload.length,
              });
              res.end(payload);
            });
          },
        );
        forward.on("error", (error) => {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(`rpc proxy: ${error.message}`);
        });
        forward.end(body);
      };
      if (delay > 0) void sleep(delay).then(forwardIt);
      else forwardIt();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    snapshot: () => ({ calls: { ...tally.calls }, ms: { ...tally.ms }, requests: tally.requests }),
    setLatency(ms) {
      latencyMs = ms;
    },
    latency: () => latencyMs,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      await new Promise<void>((resolve) => (log ? log.end(() => resolve()) : resolve()));
    },
  };
}
