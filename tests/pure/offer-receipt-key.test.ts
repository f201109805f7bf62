import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { extractJWSHeader, verifyReceiptSignatureJWS } from "@x402/extensions/offer-receipt";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The deployment's offer-receipt key (lib/x402/offer-receipt.ts): generated once into
 * VEND_DATA_DIR (mode 0600) and reused by a fresh process, or taken from OFFER_RECEIPT_KEY; its DID
 * document verifies the receipts it signs with the official helper; receipts are deterministic.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-offer-receipt-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

beforeEach(() => {
  vi.resetModules();
  process.env.VEND_DATA_DIR = dataDir;
  process.env.APP_URL = "http://127.0.0.1:4010";
  delete process.env.OFFER_RECEIPT_KEY;
});

const facts = {
  resourceUrl: "http://127.0.0.1:4010/l/abc",
  network: "eip155:8453",
  payer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  transaction: `0x${"ab".repeat(32)}`,
  settledAt: new Date("2026-11-29T12:00:00Z"),
};

describe("offer-receipt key", () => {
  it("is generated once with mode 0600, reused by a fresh process, and signs the same receipt twice", async () => {
    const first = await import("@/lib/x402/offer-receipt");
    const receipt = await first.signedReceipt(facts);
    expect(statSync(path.join(dataDir, first.OFFER_RECEIPT_KEY_FILE)).mode & 0o777).toBe(0o600);
    const doc = await first.didDocument();
    expect(doc.id).toBe("did:web:127.0.0.1%3A4010");
    expect(extractJWSHeader(receipt.signature)).toEqual({ alg: "EdDSA", kid: doc.verificationMethod[0]!.id });
    expect(await verifyReceiptSignatureJWS(receipt, doc.verificationMethod[0]!.publicKeyJwk)).toEqual({
      version: 1,
      network: facts.network,
      resourceUrl: facts.resourceUrl,
      payer: facts.payer,
      issuedAt: Math.floor(facts.settledAt.getTime() / 1000),
      transaction: facts.transaction,
    });

    vi.resetModules();
    const fresh = await import("@/lib/x402/offer-receipt");
    expect(await fresh.signedReceipt(facts)).toEqual(receipt);
    expect((await fresh.didDocument()).verificationMethod).toEqual(doc.verificationMethod);
  });

  it("takes OFFER_RECEIPT_KEY from the environment, and refuses a key that is not an Ed25519 private JWK", async () => {
    const jwk = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    process.env.OFFER_RECEIPT_KEY = JSON.stringify(jwk);
    const configured = await import("@/lib/x402/offer-receipt");
    expect((await configured.didDocument()).verificationMethod[0]!.publicKeyJwk.x).toBe(jwk.x);

    vi.resetModules();
    process.env.OFFER_RECEIPT_KEY = JSON.stringify({ kty: "EC", crv: "P-256" });
    const broken = await import("@/lib/x402/offer-receipt");
    await expect(broken.signedReceipt(facts)).rejects.toThrow(/OFFER_RECEIPT_KEY must be an Ed25519 private JWK/);
  });
});
