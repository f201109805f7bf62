import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase, type FreshDatabase } from "../../scripts/lib/fresh-database";
import { applyMigrations } from "../../scripts/lib/migrations";
import { WebhookReceiver } from "../support/webhook-receiver";

/**
 * The webhook outbox against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and a
 * real HTTP receiver verifying signatures with `standardwebhooks`: events written by the database
 * in the reporting transaction, exactly-once claiming by concurrent senders, retries and their log,
 * the expiry sweep, secret rotation and internal-address refusal.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vend-webhooks-"));
process.env.VEND_DATA_DIR = dataDir;
process.env.APP_URL = "http://127.0.0.1:3999";
process.env.WEBHOOK_RETRY_SECONDS = "1,1,1";
process.env.WEBHOOK_TIMEOUT_SECONDS = "1";
delete process.env.WEBHOOK_ALLOW_PRIVATE_URLS;

type Db = Awaited<ReturnType<typeof import("@/lib/db")["db"]>>;
let database: FreshDatabase;
let prisma: Db;
let webhooks: {
  createEndpoint: typeof import("@/lib/webhooks/create-endpoint")["createEndpoint"];
  deliverDue: typeof import("@/lib/webhooks/deliver")["deliverDue"];
  sweepExpiredLinks: typeof import("@/lib/webhooks/sweep")["sweepExpiredLinks"];
  rotateSecret: typeof import("@/lib/webhooks/rotate-secret")["rotateSecret"];
  sendTestEvent: typeof import("@/lib/webhooks/send-test-event")["sendTestEvent"];
  redeliver: typeof import("@/lib/webhooks/redeliver")["redeliver"];
  listDeliveries: typeof import("@/lib/webhooks/list-deliveries")["listDeliveries"];
  updateEndpoint: typeof import("@/lib/webhooks/update-endpoint")["updateEndpoint"];
  postWebhook: typeof import("@/lib/webhooks/send")["postWebhook"];
};

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36).padStart(4, "0")}`;

async function creator() {
  const id = `usr_${unique()}`;
  await prisma.user.create({ data: { id, address: `0x${unique().padStart(40, "0")}` } });
  return id;
}

async function link(ownerId: string, opts: { maxPurchases?: number; expiresAt?: Date } = {}) {
  const suffix = unique();
  await prisma.storedObject.create({
    data: {
      id: `obj_${suffix}`, ownerId, name: "report.pdf", contentType: "application/pdf", size: 10n, dataOffset: 1n,
      dataItemId: `di_${suffix}`, signatureType: 3, dataItemOwner: "o", signer: "s", tags: [], storageKey: "k", headerKey: "h", sha256: "00",
    },
  });
  return prisma.paymentLink.create({
    data: {
      id: `lnk_${suffix}`, slug: `s${suffix}`, objectId: `obj_${suffix}`, ownerId, payTo: "0x000000000000000000000000000000000000dEaD",
      amount: 1_500_000n, network: "eip155:31337", asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3", title: "Report",
      expiresAt: opts.expiresAt ?? new Date(Date.now() + 3_600_000), maxPurchases: opts.maxPurchases ?? null,
    },
  });
}

async function payment(linkId: string, status: "settling" | "settled" = "settling") {
  const id = `pay_${unique()}`;
  return prisma.payment.create({
    data: {
      id, linkId, payer: "0x00000000000000000000000000000000000000A1", amount: 1_500_000n, network: "eip155:31337",
      asset: "0x5FbDB2315678afecb367f032d93F642f64180aa3", nonce: `0x${id}`, validBefore: 9_999_999_999n, signature: "0x",
      x402Version: 2, status, ...(status === "settled" ? { settledAt: new Date(), transaction: "0xabc" } : {}),
    },
  });
}

const settle = (id: string) =>
  prisma.payment.update({ where: { id }, data: { status: "settled", settledAt: new Date(), transaction: `0x${"1".repeat(64)}` } });

async function events(ownerId: string, type?: string) {
  return prisma.webhookEvent.findMany({ where: { ownerId, ...(type ? { type } : {}) }, include: { deliveries: true }, orderBy: { createdAt: "asc" } });
}

/** Runs delivery rounds until nothing is due right now. */
async function drain(): Promise<void> {
  while ((await webhooks.deliverDue()).attempted > 0);
}

beforeAll(async () => {
  database = await freshDatabase(dataDir, process.env.TEST_DATABASE_URL, "vend_webhooks");
  await applyMigrations(database.url);
  process.env.DATABASE_URL = database.url;
  prisma = await (await import("@/lib/db")).db();
  webhooks = {
    createEndpoint: (await import("@/lib/webhooks/create-endpoint")).createEndpoint,
    deliverDue: (await import("@/lib/webhooks/deliver")).deliverDue,
    sweepExpiredLinks: (await import("@/lib/webhooks/sweep")).sweepExpiredLinks,
    rotateSecret: (await import("@/lib/webhooks/rotate-secret")).rotateSecret,
    sendTestEvent: (await import("@/lib/webhooks/send-test-event")).sendTestEvent,
    redeliver: (await import("@/lib/webhooks/redeliver")).redeliver,
    listDeliveries: (await import("@/lib/webhooks/list-deliveries")).listDeliveries,
    updateEndpoint: (await import("@/lib/webhooks/update-endpoint")).updateEndpoint,
    postWebhook: (await import("@/lib/webhooks/send")).postWebhook,
  };
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the outbox, written by the database", () => {
  // These endpoints listen nowhere: drop their deliveries so the delivery tests start from none due.
  afterAll(() => prisma.webhookDelivery.deleteMany({}));

  it("records sale.settled with one delivery per subscribed endpoint, in the settling transaction", async () => {
    const owner = await creator();
    const all = await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/a" });
    const sales = await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/b", eventTypes: ["sale.settled"] });
    await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/c", eventTypes: ["link.expired"] });
    const l = await link(owner);
    const p = await payment(l.id);
    expect(await events(owner)).toHaveLength(0);

    await settle(p.id);
    const [event, ...others] = await events(owner);
    expect(others).toHaveLength(0);
    expect(event).toMatchObject({ type: "sale.settled" });
    expect(event!.id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(event!.data).toMatchObject({
      sale: { id: p.id, status: "settled", amount: "1500000", payer: p.payer, network: "eip155:31337", transaction: `0x${"1".repeat(64)}` },
      link: { id: l.id, slug: l.slug, title: "Report", objectName: "report.pdf", amount: "1500000" },
    });
    expect(event!.deliveries.map((d) => d.endpointId).sort()).toEqual([all.id, sales.id].sort());

    // Another update of a settled payment is not a new event; a rolled-back settlement records nothing.
    await prisma.payment.update({ where: { id: p.id }, data: { error: null } });
    const q = await payment(l.id);
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.payment.update({ where: { id: q.id }, data: { status: "settled", settledAt: new Date() } });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await events(owner)).toHaveLength(1);
  });

  it("records nothing for a creator without an endpoint, and a disabled endpoint gets nothing", async () => {
    const owner = await creator();
    const l = await link(owner);
    await settle((await payment(l.id)).id);
    await payment(l.id, "settled");
    expect(await events(owner)).toHaveLength(0);
    const endpoint = await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/x" });
    await webhooks.updateEndpoint(owner, endpoint.id, { disabled: true });
    await settle((await payment(l.id)).id);
    expect(await events(owner)).toHaveLength(0);
  });

  it("records a payment inserted as settled, and sale.refunded", async () => {
    const owner = await creator();
    await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/x" });
    const l = await link(owner);
    const p = await payment(l.id, "settled");
    await prisma.payment.update({ where: { id: p.id }, data: { status: "refunded" } });
    expect((await events(owner)).map((e) => e.type)).toEqual(["sale.settled", "sale.refunded"]);
  });

  it("records link.sold_out once when sales settling at the same time reach maxPurchases", async () => {
    const owner = await creator();
    await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/x" });
    const l = await link(owner, { maxPurchases: 2 });
    const [a, b] = [await payment(l.id), await payment(l.id)];
    // Two transactions overlap: the first holds its settlement open while the second settles.
    // Without the per-link lock each would count only its own sale and neither would see 2.
    const first = prisma.$transaction(async (tx) => {
      await tx.payment.update({ where: { id: a!.id }, data: { status: "settled", settledAt: new Date() } });
      await new Promise((r) => setTimeout(r, 300));
    });
    await new Promise((r) => setTimeout(r, 50));
    const second = prisma.$transaction(async (tx) => {
      await tx.payment.update({ where: { id: b!.id }, data: { status: "settled", settledAt: new Date() } });
    });
    await Promise.all([first, second]);
    const soldOut = await events(owner, "link.sold_out");
    expect(soldOut).toHaveLength(1);
    expect(soldOut[0]!.data).toMatchObject({ link: { id: l.id, maxPurchases: 2 } });
    expect(await events(owner, "sale.settled")).toHaveLength(2);
  });

  it("sweeps each link expiry once, for endpoints that existed then", async () => {
    const owner = await creator();
    await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/x", eventTypes: ["link.expired"] });
    const expired = await link(owner, { expiresAt: new Date(Date.now() + 300) });
    await link(owner, { expiresAt: new Date(Date.now() + 3_600_000) });
    const revoked = await link(owner, { expiresAt: new Date(Date.now() + 300) });
    await prisma.paymentLink.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    await new Promise((r) => setTimeout(r, 400));
    await Promise.all([webhooks.sweepExpiredLinks(), webhooks.sweepExpiredLinks()]);
    await webhooks.sweepExpiredLinks();
    const found = await events(owner, "link.expired");
    expect(found).toHaveLength(1);
    expect(found[0]!.data).toMatchObject({ link: { id: expired.id } });
    // An endpoint created after the expiry does not get it.
    await webhooks.createEndpoint({ ownerId: owner, url: "http://127.0.0.1:9/late", eventTypes: ["link.expired"] });
    await webhooks.sweepExpiredLinks();
    expect((await events(owner, "link.expired"))[0]!.deliveries).toHaveLength(1);
  });
});

describe("delivery", () => {
  it("delivers each event exactly once when several senders claim at the same time", async () => {
    const owner = await creator();
    const receiver = await WebhookReceiver.start();
    try {
      const endpoint = await webhooks.createEndpoint({ ownerId: owner, url: receiver.url });
      receiver.trust([endpoint.secret]);
      const l = await link(owner);
      for (let i = 0; i < 30; i++) await payment(l.id, "settled");
      const rounds = await Promise.all([1, 2, 3, 4].map(async () => {
        let attempted = 0;
        for (;;) {
          const round = await webhooks.deliverDue(5);
          if (round.attempted === 0) return attempted;
          attempted += round.attempted;
        }
      }));
      expect(rounds.reduce((a, b) => a + b, 0)).toBe(30);
      expect(receiver.rejected).toBe(0);
      expect(new Set(receiver.ids()).size).toBe(30);
      expect(receiver.ids()).toHaveLength(30);
      const body = receiver.received[0]!.body as { type: string; data: { sale: { price: string }; link: { url: string } } };
      expect(body.type).toBe("sale.settled");
      expect(body.data.sale.price).toBe("1.5");
      expect(body.data.link.url).toBe(`http://127.0.0.1:3999/l/${l.slug}`);
      const states = await prisma.webhookDelivery.groupBy({ by: ["status"], where: { endpointId: endpoint.id }, _count: { _all: true } });
      expect(states).toEqual([{ status: "succeeded", _count: { _all: 30 } }]);
    } finally {
      await receiver.stop();
    }
  });

  it("retries a receiver that is down, failing or slow, logging each attempt, then delivers once", async () => {
    const owner = await creator();
    const receiver = await WebhookReceiver.start({ slowMs: 3_000 });
    try {
      const endpoint = await webhooks.createEndpoint({ ownerId: owner, url: receiver.url });
      receiver.trust([endpoint.secret]);
      const l = await link(owner);
      const p = await payment(l.id, "settled");

      await receiver.setMode("down");
      expect(await webhooks.deliverDue()).toMatchObject({ attempted: 1, retrying: 1 });
      await receiver.setMode("fail");
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await webhooks.deliverDue()).toMatchObject({ attempted: 1, retrying: 1 });
      await receiver.setMode("slow");
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await webhooks.deliverDue()).toMatchObject({ attempted: 1, retrying: 1 });
      // Not due yet: nothing to do.
      expect(await webhooks.deliverDue()).toMatchObject({ attempted: 0 });
      await receiver.setMode("ok");
      await new Promise((r) => setTimeout(r, 1_100));
      expect(await webhooks.deliverDue()).toMatchObject({ attempted: 1, succeeded: 1 });
      await drain();

      expect(receiver.ids()).toHaveLength(1);
      const { deliveries } = await webhooks.listDeliveries(owner, endpoint.id, {});
      expect(deliveries).toHaveLength(1);
      const d = deliveries[0]!;
      expect(d).toMatchObject({ status: "succeeded", attempts: 4, lastStatus: 204 });
      expect(JSON.parse(d.event.payload)).toMatchObject({ type: "sale.settled", data: { sale: { id: p.id } } });
      expect(d.log.map((a) => [a.statusCode, a.error?.split(":")[0] ?? null])).toEqual([
        [204, null],
        [null, "timeout"],
        [500, null],
        [null, "ECONNREFUSED"],
      ]);
      expect(receiver.requests.map((r) => r.status)).toEqual([500, "timeout", 204]);
    } finally {
      await receiver.stop();
    }
  });

  it("gives up after the retry schedule, and redelivers on request with the same webhook-id", async () => {
    const owner = await creator();
    const receiver = await WebhookReceiver.start();
    try {
      const endpoint = await webhooks.createEndpoint({ ownerId: owner, url: receiver.url });
      receiver.trust([endpoint.secret]);
      await receiver.setMode("fail");
      const l = await link(owner);
      await payment(l.id, "settled");
      for (let i = 0; i < 4; i++) {
        expect((await webhooks.deliverDue()).attempted).toBe(1);
        await new Promise((r) => setTimeout(r, 1_050));
      }
      expect(await webhooks.deliverDue()).toMatchObject({ attempted: 0 });
      const [failed] = (await webhooks.listDeliveries(owner, endpoint.id, { status: "failed" })).deliveries;
      expect(failed).toMatchObject({ attempts: 4, lastStatus: 500, nextAttemptAt: null });

      await receiver.setMode("ok");
      const again = await webhooks.redeliver(owner, endpoint.id, failed!.id);
      expect(again.status).toBe("pending");
      await drain();
      expect(receiver.ids()).toEqual([failed!.event.id]);
      expect((await webhooks.listDeliveries(owner, endpoint.id, {})).deliveries[0]).toMatchObject({ status: "succeeded", attempts: 1 });
    } finally {
      await receiver.stop();
    }
  });

  it("sends a test event, and signs with both secrets for a day after a rotation", async () => {
    const owner = await creator();
    const receiver = await WebhookReceiver.start();
    try {
      const endpoint = await webhooks.createEndpoint({ ownerId: owner, url: receiver.url });
      expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      receiver.trust([endpoint.secret]);
      await webhooks.sendTestEvent(owner, endpoint.id);
      await drain();
      expect(receiver.received.map((r) => r.type)).toEqual(["webhook.test"]);

      const rotated = await webhooks.rotateSecret(owner, endpoint.id);
      expect(rotated.secret).not.toBe(endpoint.secret);
      expect(rotated.previousSecretExpiresAt).not.toBeNull();
      // A receiver still on the old secret and one already on the new one both verify.
      for (const secret of [endpoint.secret, rotated.secret]) {
        receiver.trust([secret]);
        await webhooks.sendTestEvent(owner, endpoint.id);
        await drain();
      }
      expect(receiver.received.map((r) => r.signatures)).toEqual([1, 2, 2]);
      expect(receiver.rejected).toBe(0);
    } finally {
      await receiver.stop();
    }
  });

  it("refuses internal addresses when this deployment is not local", async () => {
    const headers = { "content-type": "application/json" };
    const refused = await webhooks.postWebhook({ url: "http://127.0.0.1:9/x", body: "{}", headers, timeoutMs: 1000, allowInternal: false });
    expect(refused.error).toMatch(/internal address/);
    const viaDns = await webhooks.postWebhook({ url: "http://localhost:9/x", body: "{}", headers, timeoutMs: 1000, allowInternal: false });
    expect(viaDns.error).toMatch(/EINTERNAL/);
    const { checkWebhookUrl, isInternalAddress } = await import("@/lib/webhooks/targets");
    expect(["10.1.2.3", "169.254.169.254", "::1", "::ffff:192.168.1.1", "fd00::1"].every(isInternalAddress)).toBe(true);
    expect(isInternalAddress("93.184.216.34")).toBe(false);
    expect(checkWebhookUrl("ftp://example.com")).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://user:pw@example.com/h")).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://example.com/h")).toEqual({ ok: true, url: "https://example.com/h" });
  });

  it("verifies a signature with the standardwebhooks package exactly as a receiver would", async () => {
    const { signedHeaders, newSecret } = await import("@/lib/webhooks/signing");
    const secret = newSecret();
    const body = JSON.stringify({ type: "webhook.test", timestamp: new Date().toISOString(), data: {} });
    const headers = signedHeaders("msg_1", body, [secret]);
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: "webhook.test" });
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
  });
});
