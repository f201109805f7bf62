// The part of `ws` (installed with the project's dependencies, without types) that the Neon test uses.
declare module "ws" {
  import type { EventEmitter } from "node:events";
  import type { AddressInfo } from "node:net";

  export default class WebSocket extends EventEmitter {
    send(data: Uint8Array): void;
    close(): void;
  }
  export class WebSocketServer extends EventEmitter {
    constructor(options: { host: string; port: number });
    address(): AddressInfo | string;
    close(callback?: () => void): void;
    on(event: "connection", listener: (socket: WebSocket) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
