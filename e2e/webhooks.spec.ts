import { expect, test } from "@playwright/test";
import { WebhookReceiver } from "../tests/support/webhook-receiver";
import { dashboardEnv, hardhat, shots, signInThroughUi, wallet } from "./fixtures/creator";

/**
 * Webhooks in the dashboard: adding an endpoint shows its secret once, "Send test event" reaches a
 * real receiver verifying the signature with `standardwebhooks`, and the delivery log shows it.
 */
const env = dashboardEnv();
test.use({ baseURL: env.baseUrl });

test("a creator adds an endpoint, sends a test event and reads the delivery log", async ({ page }) => {
  const receiver = await WebhookReceiver.start();
  try {
    await wallet(page, env, hardhat(9));
    await signInThroughUi(page, "/dashboard/settings");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const form = page.getByRole("dialog");
    await form.getByLabel("Endpoint URL").fill(receiver.url);
    await form.getByLabel("Description").fill("Fulfilment");
    await form.getByRole("checkbox", { name: /sale\.settled/ }).check();
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    receiver.trust([secret]);
    await page.getByRole("button", { name: "I’ve copied it" }).click();
    await expect(page.getByTestId("webhook-endpoint-row")).toContainText(receiver.url);
    await expect(page.getByTestId("webhook-endpoint-row")).toContainText("sale.settled");

    await page.getByTestId("webhook-endpoint-row").getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(receiver.url);
    await page.getByRole("button", { name: "Send test event" }).click();
    await receiver.waitFor((r) => r.received.length === 1, 30_000, "the test event");
    expect(receiver.received[0]!.type).toBe("webhook.test");
    const row = page.getByTestId("webhook-delivery-row").first();
    await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    await row.getByRole("button", { name: /Details of webhook\.test/ }).click();
    await expect(page.getByTestId("webhook-attempt").first()).toContainText("204");
    await shots(page, "webhook-endpoint");
    // The secret is never shown again.
    await expect(page.getByText(secret)).toHaveCount(0);
  } finally {
    await receiver.stop();
  }
});
