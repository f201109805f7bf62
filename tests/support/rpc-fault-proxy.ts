import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * What the proxy does to the next `eth_sendRawTransaction` calls (`times` of them, default 1):
 * - `drop-reply`: forwards it to the chain, then closes the client's connection without an answer
 *   (the transaction is on chain; the app never hears so);
 * - `reset`: closes the client's connection without forwarding it (nothing reached the chain, but
 *   the app cannot tell);
 * - `rpc-error`: answers a node's refusal ("insufficient funds for gas") without forwarding it;
 * - `hold`: forwards it, and keeps the app waiting for the answer until {@link RpcFaultProxy.release}
 *   (time to `kill -9` the app between its send and its receipt);
 * - `hold-unsent`: keeps the app waiting without forwarding it, and drops it if the app goes away
 *   meanwhile (a crash between record and send).
 */
export type SendFault = "drop-reply" | "reset" | "rpc-error" | "hold" | "hold-unsent";

/** A JSON-RPC proxy of ours between the app and the chain that counts calls and injects faults. */
export type RpcFaultProxy = {
  url: string;
  port: number;
  /** Calls forwarded or answered, per method, since the start (a batch counts each call). */
  calls(): Record<string, number>;
  /** Total calls (all methods) since the start. */
  total(): number;
  /** HTTP round trips since the start (a JSON-RPC batch is one). */
  roundTrips(): number;
  /** Applies `fault` to the next `times` raw sends (0: no more faults). */
  failSends(fault: SendFault, times?: number): void;
  /** Resolves when a held send is waiting (see `hold` / `hold-unsent`). */
  held(): Promise<void>;
  /** Lets held sends go: `hold` answers, `hold-unsent` forwards and answers. */
  release(): void;
  /** Answers `null` to every `eth_getTransactionReceipt` (not mined yet) until `false`. */
  holdReceipts(on: boolean): void;
  /**
   * Stops listening and closes every connection (a held send is dropped, never forwarded): calls
   * are refused (ECONNREFUSED) until `up()`.
   */
  down(): Promise<void>;
  up(): Promise<void>;
  /** The raw transactions forwarded so far, in order. */
  sent(): string[];
  stop(): Promise<void>;
};

type RpcCall = { jsonrpc: "2.0"; id: number | string; method: string; params?: unknown[] };

/** Starts the proxy on 127.0.0.1 (`port`, or a free one) in front of the JSON-RPC node at `target`. */
export async function startRpcFaultProxy(target: string, port = 0): Promise<RpcFaultProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const counts: Record<string, number> = {};
  let roundTrips = 0;
  const sent: string[] = [];
  let faults: { fault: SendFault; times: number } | undefined;
  let receiptsHeld = false;
  const waiting: (() => void)[] = [];
  let onHeld: (() => void)[] = [];
  const sockets = new Set<Socket>();

  const forward = (body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        { host: upstream.hostname, port: upstream.port, path: upstream.pathname, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, text }));
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  const takeFault = (): SendFault | undefined => {
    if (!faults) return undefined;
    const { fault } = faults;
    if (--faults.times <= 0) faults = undefined;
    return fault;
  };

  const hold = async (): Promise<void> => {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      for (const f of onHeld.splice(0)) f();
    });
  };

  async function handle(body: string, res: http.ServerResponse): Promise<void> {
    let parsed: RpcCall | RpcCall[];
    try {
      parsed = JSON.parse(body) as RpcCall | RpcCall[];
    } catch {
      res.writeHead(400).end();
      return;
    }
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    for (const c of calls) counts[c.method] = (counts[c.method] ?? 0) + 1;
    roundTrips++;

    const single = !Array.isArray(parsed) ? parsed : undefined;
    if (single?.method === "eth_sendRawTransaction") {
      const fault = takeFault();
      if (fault === "reset") {
        res.socket?.destroy();
        return;
      }
      if (fault === "rpc-error") {
        const answer = { jsonrpc: "2.0", id: single.id, error: { code: -32000, message: "insufficient funds for gas * price + value" } };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
        return;
      }
      if (fault === "hold-unsent") {
        let gone = false;
        const closed = new Promise<void>((resolve) =>
          res.once("close", () => {
            gone = true;
            resolve();
          }),
        );
        await Promise.race([hold(), closed]);
        if (gone || !res.socket || res.socket.destroyed) return;
      }
      sent.push(String(single.params?.[0]));
      const answer = await forward(body);
      if (fault === "drop-reply") {
        res.socket?.destroy();
        return;
      }
      if (fault === "hold") await hold();
      res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text);
      return;
    }
    if (receiptsHeld && calls.every((c) => c.method === "eth_getTransactionReceipt")) {
      const nulls = calls.map((c) => ({ jsonrpc: "2.0", id: c.id, result: null }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Array.isArray(parsed) ? nulls : nulls[0]));
      return;
    }
    for (const c of calls) if (c.method === "eth_sendRawTransaction") sent.push(String(c.params?.[0]));
    const answer = await forward(body);
    res.writeHead(answer.status, { "content-type": "application/json" }).end(answer.text);
  }

  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      handle(body, res).catch(() => res.socket?.destroy());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const listen = (p: number) => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(p, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  await listen(port);
  const actualPort = (server.address() as AddressInfo).port;
  const close = async () => {
    for (const s of sockets) s.destroy();
    for (const go of waiting.splice(0)) go();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const release = () => {
    for (const go of waiting.splice(0)) go();
  };
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    calls: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    roundTrips: () => roundTrips,
    failSends(fault, times = 1) {
      faults = times > 0 ? { fault, times } : undefined;
    },
    held: () =>
      waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => onHeld.push(resolve)),
    release,
    holdReceipts(on) {
      receiptsHeld = on;
    },
    down: close,
    up: () => listen(actualPort),
    sent: () => [...sent],
    async stop() {
      release();
      onHeld = [];
      if (server.listening) await close();
      agent.destroy();
    },
  };
}
