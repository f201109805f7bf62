import http from "node:http";
import type { AddressInfo } from "node:net";

/** A proxy of ours in front of the app that can lose a response on the way back to the client. */
export type DropProxy = {
  url: string;
  /** The next `count` requests reach the app and are answered in full there, but the client's connection is cut before it sees a byte. */
  dropResponses(count?: number): void;
  stop(): Promise<void>;
};

/**
 * Starts an HTTP proxy to `target`. Normally it passes requests and responses through unchanged;
 * after {@link DropProxy.dropResponses} it reads the app's whole response (so the app finishes
 * its work) and then destroys the client's socket: the buyer's "response was lost" case.
 */
export async function startDropProxy(target: string): Promise<DropProxy> {
  const upstream = new URL(target);
  let drops = 0;
  const server = http.createServer((req, res) => {
    const drop = drops > 0;
    if (drop) drops--;
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        if (drop) {
          answer.resume();
          answer.once("end", () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.once("error", () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropResponses: (count = 1) => {
      drops += count;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
