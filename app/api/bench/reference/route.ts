import { ExactEvmScheme } from "@x402/evm/exact/server";
import { withX402, x402ResourceServer } from "@x402/next";
import { NextResponse, type NextRequest } from "next/server";
import { configuredNetworks } from "@/lib/networks";
import { MAX_TIMEOUT_SECONDS } from "@/lib/x402/requirements";
import { facilitator } from "@/lib/x402/facilitator";

export const dynamic = "force-dynamic";

/** The static resource behind the reference paywall: 1 KiB, like the benchmark's Vend object. */
const PAYLOAD = new Uint8Array(1024).fill(0x76);

type Handler = (req: NextRequest) => Promise<NextResponse>;
let handler: Handler | undefined;

/**
 * Built on first request (never at import: `next build` imports every route, and the facilitator
 * needs the running chain): the official `withX402` over an `x402ResourceServer` whose facilitator
 * client is Vend's own in-process `facilitator()`, with `@x402/evm`'s exact server scheme for the
 * local chain, priced like a Vend link (AssetAmount in the local test USDC, EIP-712 domain
 * "USD Coin"/"2"); payee and amount from `BENCH_PAY_TO` / `BENCH_AMOUNT`.
 */
function reference(): Handler {
  if (handler) return handler;
  const network = configuredNetworks().find((n) => n.local);
  const payTo = process.env.BENCH_PAY_TO;
  const amount = process.env.BENCH_AMOUNT;
  if (!network || !payTo || !amount) {
    throw new Error("The reference route needs the local chain, BENCH_PAY_TO and BENCH_AMOUNT.");
  }
  const server = new x402ResourceServer(facilitator()).register(network.id, new ExactEvmScheme());
  handler = withX402(
    async () =>
      new NextResponse(PAYLOAD, { headers: { "Content-Type": "application/octet-stream", "Cache-Control": "no-store" } }),
    {
      accepts: {
        scheme: "exact",
        network: network.id,
        payTo,
        price: { amount, asset: network.asset, extra: { name: network.eip712.name, version: network.eip712.version } },
        maxTimeoutSeconds: MAX_TIMEOUT_SECONDS,
      },
      description: "Vend benchmark reference (1 KiB)",
      mimeType: "application/octet-stream",
    },
    server,
  );
  return handler;
}

/**
 * `GET /api/bench/reference` — benchmark baseline (b), the x402 reference: `@x402/next`'s
 * `withX402` wrapping a static 1 KiB route with the same in-process facilitator as the gate.
 * 404 unless the server runs with `VEND_BENCH=1` (`npm run bench`).
 */
export async function GET(req: NextRequest): Promise<Response> {
  if (process.env.VEND_BENCH !== "1") return new Response("Not found", { status: 404 });
  return reference()(req);
}
