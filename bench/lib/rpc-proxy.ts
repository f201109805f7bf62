import http from "node:http";
import type { AddressInfo } from "node:net";

/** JSON-RPC traffic seen by the proxy: calls and summed round-trip milliseconds, per method. */
export type RpcTally = { calls: Record<string, number>; ms: Record<string, number> };

/** A counting JSON-RPC proxy; see {@link startRpcProxy}. */
export type RpcProxy = {
  /** URL to give clients instead of the node's. */
  url: string;
  /** A copy of the totals so far (subtract two snapshots with {@link diffTally}). */
  snapshot(): RpcTally;
  stop(): Promise<void>;
};

/** The traffic between two snapshots: `after − before`, methods with no calls left out. */
export function diffTally(before: RpcTally, after: RpcTally): RpcTally {
  const out: RpcTally = { calls: {}, ms: {} };
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

/**
 * Starts an HTTP proxy on 127.0.0.1 (a free port) in front of the JSON-RPC node at `target`, so
 * that every RPC call of the app's facilitator and of the bench's own is counted per method, with
 * its round-trip time (a batch's time is split evenly among its calls). Requests are forwarded
 * over a keep-alive connection pool; the proxy adds well under a millisecond per call, the same for
 * every path measured.
 */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const tally: RpcTally = { calls: {}, ms: {} };

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
            const share = (performance.now() - t0) / Math.max(1, methods.length);
            for (const m of methods) {
              tally.calls[m] = (tally.calls[m] ?? 0) + 1;
              tally.ms[m] = (tally.ms[m] ?? 0) + share;
            }
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
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    snapshot: () => ({ calls: { ...tally.calls }, ms: { ...tally.ms } }),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
