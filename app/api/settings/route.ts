import { z } from "zod";
import { json, parseJson, withCreator } from "@/lib/http";
import { getSettings } from "@/lib/settings/get-settings";
import { updateSettings } from "@/lib/settings/update-settings";

export const dynamic = "force-dynamic";

/** `GET /api/settings` → `{ address, defaultPayTo: string | null, defaultNetwork: string | null }`. 401. */
export const GET = withCreator(async ({ creator }) => json(await getSettings({ userId: creator.userId })));

/**
 * `PATCH /api/settings` `{ defaultPayTo?: "0x…" | null, defaultNetwork?: "eip155:…" | null }` → the
 * settings. Errors: 400 `invalid_request` with `details.fields` (bad address, unconfigured network), 401.
 */
export const PATCH = withCreator(async ({ req, creator }) => {
  const body = await parseJson(req, z.record(z.string(), z.unknown()));
  return json(await updateSettings({ ...body, userId: creator.userId }));
});
