export const dynamic = "force-dynamic";

/**
 * A fixed x402 402 answer with the shape and size of Vend's (v1 JSON body + v2 `PAYMENT-REQUIRED`
 * header), built once: what the framework costs when a route does no work at all.
 */
const accepts = {
  scheme: "exact",
  network: "eip155:31337",
  maxAmountRequired: "10000",
  resource: "http://127.0.0.1:3000/l/0123456789ABCDEFGHIJKL",
  description: "bench-1KiB.bin",
  mimeType: "application/octet-stream",
  outputSchema: { input: { type: "http", method: "GET" } },
  payTo: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  maxTimeoutSeconds: 300,
  asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  extra: { name: "USD Coin", version: "2" },
};
const BODY = JSON.stringify({
  x402Version: 1,
  error: "Payment required",
  accepts: [accepts],
  code: "payment_required",
  message: "Payment required: pay with x402 (PAYMENT-SIGNATURE or X-PAYMENT header).",
});
const PAYMENT_REQUIRED = Buffer.from(
  JSON.stringify({
    x402Version: 2,
    error: "Payment required",
    resource: { url: accepts.resource, description: accepts.description, mimeType: accepts.mimeType },
    accepts: [
      {
        scheme: "exact",
        network: accepts.network,
        amount: accepts.maxAmountRequired,
        asset: accepts.asset,
        payTo: accepts.payTo,
        maxTimeoutSeconds: 300,
        extra: accepts.extra,
      },
    ],
  }),
).toString("base64");

/**
 * `GET /api/bench/floor` — benchmark baseline (a), the framework's floor: a bare route handler
 * returning a fixed 402 JSON. 404 unless the server runs with `VEND_BENCH=1` (`npm run bench`).
 */
export function GET(): Response {
  if (process.env.VEND_BENCH !== "1") return new Response("Not found", { status: 404 });
  return new Response(BODY, {
    status: 402,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "PAYMENT-REQUIRED": PAYMENT_REQUIRED,
      "Cache-Control": "no-store",
    },
  });
}
