import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { createApiKey, creatorApi, hardhat, paymentRequiredOf, signIn, signPayment } from "../support/client";

/**
 * Issue 9, item 6: security headers on pages and APIs, CORS on the gate so that a browser x402
 * client on another origin can read the 402 and pay, a sanitised Content-Disposition (RFC 6266),
 * and rate limits stored in PostgreSQL (so they hold across instances).
 */
const baseUrl = inject("baseUrl");
const network = `eip155:${inject("chainId")}`;
const creator = hardhat(0);

let api: ReturnType<typeof creatorApi>;
let link: { id: string; slug: string; url: string };

beforeAll(async () => {
  api = creatorApi(baseUrl, await createApiKey(baseUrl, await signIn(baseUrl, creator)));
  const object = await api.upload(new Uint8Array(randomBytes(64)), 'q"uote;semi\tcolon — ünï.pdf', "application/pdf");
  link = await api.createLink({ objectId: object.id, payTo: creator.address, price: "0.01", network, expiresIn: "1h" });
});

describe("CORS on the gate", () => {
  it("answers the preflight of a browser x402 client with the x402 headers allowed", async () => {
    const res = await fetch(link.url, {
      method: "OPTIONS",
      headers: { origin: "https://agent.example", "access-control-request-method": "GET", "access-control-request-headers": "payment-signature" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/PAYMENT-SIGNATURE/);
    expect(res.headers.get("access-control-allow-headers")).toMatch(/X-PAYMENT/);
    expect(res.headers.get("access-control-allow-methods")).toMatch(/GET/);
  });

  it("lets another origin read the 402 and its PAYMENT-REQUIRED header, and errors too", async () => {
    const res = await fetch(link.url, { headers: { origin: "https://agent.example" } });
    expect(res.status).toBe(402);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-expose-headers")).toMatch(/PAYMENT-REQUIRED/);
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const missing = await fetch(`${baseUrl}/l/nope123`, { headers: { origin: "https://agent.example" } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("security headers", () => {
  it("APIs and the gate: no sniffing, no framing, nothing runs", async () => {
    for (const res of [await fetch(link.url), await fetch(`${baseUrl}/api/networks`)]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
    }
  });

  it("pages: a fresh CSP nonce per request, on Next's scripts and ours, and no framing", async () => {
    const a = await fetch(`${baseUrl}/pay/${link.slug}`);
    const b = await fetch(`${baseUrl}/pay/${link.slug}`);
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/object-src 'none'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(b.headers.get("content-security-policy")).not.toContain(nonce);
    const html = await a.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe("Content-Disposition", () => {
  it("quotes an ASCII fallback without quotes or controls, and the exact name in filename* (RFC 6266/8187)", async () => {
    const { header } = await signPayment(hardhat(9), paymentRequiredOf(await fetch(link.url)));
    const res = await fetch(link.url, { headers: { "PAYMENT-SIGNATURE": header } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const disposition = res.headers.get("content-disposition")!;
    expect(disposition).toBe(
      `attachment; filename="q_uote;semi_colon _ _n_.pdf"; filename*=UTF-8''${encodeURIComponent('q"uote;semi\tcolon — ünï.pdf')}`,
    );
  });
});

/** Counters are per fixed minute: start a counting test early in a minute, so it fits in one window. */
async function startOfAWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 25_000) await new Promise((r) => setTimeout(r, left + 50));
}

describe("rate limits (shared through PostgreSQL)", () => {
  it("SIWE nonces: the 61st request in a minute from one IP is 429 with Retry-After; another IP is unaffected", async () => {
    await startOfAWindow();
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await fetch(`${baseUrl}/api/auth/nonce`, { headers: { "x-real-ip": ip } });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await res.json()).error.code).toBe("rate_limited");
      } else await res.arrayBuffer();
    }
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    expect((await fetch(`${baseUrl}/api/auth/nonce`, { headers: { "x-real-ip": "203.0.113.250" } })).status).toBe(200);
  });

  it("purchases per payer: past 120 a minute, 429 before anything is reserved", async () => {
    const required = paymentRequiredOf(await fetch(link.url));
    const unfunded = hardhat(16);
    const headers = await Promise.all(Array.from({ length: 121 }, () => signPayment(unfunded, required).then((p) => p.header)));
    await startOfAWindow();
    const statuses: number[] = [];
    for (let i = 0; i < headers.length; i += 11) {
      const batch = headers.slice(i, i + 11);
      const answers = await Promise.all(
        batch.map((h, j) => fetch(link.url, { headers: { "PAYMENT-SIGNATURE": h, "x-real-ip": `192.0.2.${(i + j) % 250}` } })),
      );
      for (const res of answers) {
        statuses.push(res.status);
        await res.arrayBuffer();
      }
    }
    expect(statuses.filter((s) => s === 402)).toHaveLength(120);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});
