import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FacilitatorClient } from "@x402/core/server";
import { paymentMiddleware, x402ResourceServer } from "@x402/express";
import { ExactEvmScheme } from "@x402/evm/exact/server";
import express from "express";
import type { LocalFacilitator } from "./facilitator";

/** The static resource the anchor sells: 1 KiB, like the benchmark's Vend object. */
const PAYLOAD = Buffer.alloc(1024, 0x76);

/** A running anchor: the official x402 server, outside the product. */
export type Anchor = { url: string; stop(): Promise<void> };

/**
 * The benchmark's anchor: the official `@x402/express` `paymentMiddleware` selling one static
 * 1 KiB file at `GET /resource`, priced like a Vend link (an AssetAmount of the local test USDC,
 * EIP-712 domain "USD Coin"/"2"), verified and settled by the same kind of in-process facilitator
 * the floor uses. It runs as its own small HTTP server on 127.0.0.1, never as a route of the app.
 */
export async function startAnchor(opts: {
  facilitator: LocalFacilitator;
  network: `eip155:${number}`;
  asset: string;
  payTo: string;
  amount: bigint;
  maxTimeoutSeconds: number;
}): Promise<Anchor> {
  const client: FacilitatorClient = {
    verify: (payload, requirements) => opts.facilitator.verify(payload, requirements),
    settle: (payload, requirements) => opts.facilitator.settle(payload, requirements),
    getSupported: async () => ({
      kinds: [{ x402Version: 2, scheme: "exact", network: opts.network }],
      extensions: [],
      signers: {},
    }),
  };
  const server = new x402ResourceServer(client).register(opts.network, new ExactEvmScheme());
  const app = express();
  app.use(
    paymentMiddleware(
      {
        "GET /resource": {
          accepts: {
            scheme: "exact",
            network: opts.network,
            payTo: opts.payTo,
            price: { amount: opts.amount.toString(), asset: opts.asset, extra: { name: "USD Coin", version: "2" } },
            maxTimeoutSeconds: opts.maxTimeoutSeconds,
          },
          description: "Vend benchmark anchor (1 KiB)",
          mimeType: "application/octet-stream",
        },
      },
      server,
    ),
  );
  app.get("/resource", (_req, res) => {
    res.set({ "Content-Type": "application/octet-stream", "Cache-Control": "no-store" }).send(PAYLOAD);
  });
  const http: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/resource`,
    stop: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
