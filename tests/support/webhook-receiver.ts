import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { Webhook } from "standardwebhooks";
import { freePort } from "./ports";

/** One request the receiver accepted (2xx) after verifying its signature. */
export type Received = { id: string; type: string; timestamp: string; body: unknown; at: number; signatures: number };

/** How the receiver answers: 2xx, 500, no answer for `slowMs`, or not listening at all. */
export type ReceiverMode = "ok" | "fail" | "slow" | "down";

/**
 * A real webhook receiver on 127.0.0.1: verifies every request with the `standardwebhooks` package
 * (a bad signature is a 400 and counted in `rejected`), and answers by `mode`. It records what it
 * acknowledged (`received`) and every request it saw (`requests`), so a test can assert that
 * nothing acknowledged arrived twice. `down` closes the listener (connection refused, open sockets
 * destroyed); switching back listens again on the same port.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  /** Every request seen, acknowledged or not: `{id, status}`. */
  readonly requests: { id: string; status: number | "timeout" }[] = [];
  rejected = 0;
  private secrets: string[];
  private mode: ReceiverMode = "ok";
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    secrets: string[],
    private readonly slowMs: number,
  ) {
    this.secrets = secrets;
  }

  /** Starts a receiver verifying with `secrets` (any of them may sign). */
  static async start(opts: { secrets?: string[]; slowMs?: number } = {}): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(await freePort(), opts.secrets ?? [], opts.slowMs ?? 5_000);
    await receiver.listen();
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Secrets the receiver accepts from now on. */
  trust(secrets: string[]): void {
    this.secrets = secrets;
  }

  /** Ids acknowledged, in order. */
  ids(): string[] {
    return this.received.map((r) => r.id);
  }

  async setMode(mode: ReceiverMode): Promise<void> {
    const wasDown = this.mode === "down";
    this.mode = mode;
    if (mode === "down" && !wasDown) await this.close();
    if (mode !== "down" && wasDown) await this.listen();
  }

  /** Resolves when `predicate` holds (polling every 50 ms), or rejects after `timeoutMs`. */
  async waitFor(predicate: (r: WebhookReceiver) => boolean, timeoutMs = 30_000, what = "webhooks"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.requests)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    await this.close();
  }

  private listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
  }

  private close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /** The payload if one of the trusted secrets signed it (`standardwebhooks` verification), else null. */
  private verify(body: string, headers: Record<string, string>): { type: string; timestamp: string; data: unknown } | null {
    for (const secret of this.secrets) {
      try {
        return new Webhook(secret).verify(body, headers) as { type: string; timestamp: string; data: unknown };
      } catch {
        // Try the next secret.
      }
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const id = String(req.headers["webhook-id"] ?? "");
    if (this.mode === "slow") {
      this.requests.push({ id, status: "timeout" });
      await new Promise((r) => setTimeout(r, this.slowMs));
      if (!res.destroyed) res.writeHead(504).end();
      return;
    }
    if (this.mode === "fail") {
      this.requests.push({ id, status: 500 });
      res.writeHead(500, { "content-type": "text/plain" }).end("receiver failed");
      return;
    }
    const payload = this.verify(body, req.headers as Record<string, string>);
    if (!payload) {
      this.rejected++;
      this.requests.push({ id, status: 400 });
      res.writeHead(400).end("bad signature");
      return;
    }
    this.requests.push({ id, status: 204 });
    const signatures = String(req.headers["webhook-signature"] ?? "").split(" ").length;
    this.received.push({ id, type: payload.type, timestamp: payload.timestamp, body: payload, at: Date.now(), signatures });
    res.writeHead(204).end();
  }
}
