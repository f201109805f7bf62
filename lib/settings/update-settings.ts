import "server-only";
import { getAddress, isAddress, zeroAddress } from "viem";
import { z } from "zod";
import { db } from "@/lib/db";
import { getNetwork } from "@/lib/networks";
import { getSettings } from "@/lib/settings/get-settings";

export const updateSettingsInput = z
  .object({
    userId: z.string().min(1),
    /** Default payee of new links; null or "" clears it (new links then default to the signed-in address). */
    defaultPayTo: z
      .string()
      .trim()
      .nullish()
      .transform((v) => (v === "" ? null : v))
      .refine((v) => v == null || isAddress(v, { strict: false }), "Enter a valid EVM address (0x followed by 40 hex characters).")
      .refine((v) => v == null || v.toLowerCase() !== zeroAddress, "The payee cannot be the zero address.")
      .transform((v) => (v == null ? v : getAddress(v))),
    /** Default network (CAIP-2) of new links; must be configured on this server. null or "" clears it. */
    defaultNetwork: z
      .string()
      .trim()
      .nullish()
      .transform((v) => (v === "" ? null : v))
      .refine((v) => v == null || Boolean(getNetwork(v)?.rpcUrl), "This network is not configured on this server."),
  })
  .strict();
export type UpdateSettingsInput = z.input<typeof updateSettingsInput>;

/**
 * Updates the creator's defaults for new links. Fields left out stay unchanged; null clears.
 * The payee is validated with viem's `isAddress` and stored checksummed (`getAddress`).
 * @returns the settings after the update (see `getSettings`).
 * @throws ZodError (→ 400 `invalid_request` with `details.fields`).
 */
export async function updateSettings(input: UpdateSettingsInput) {
  const { userId, defaultPayTo, defaultNetwork } = updateSettingsInput.parse(input);
  const prisma = await db();
  await prisma.user.update({
    where: { id: userId },
    data: {
      ...(defaultPayTo !== undefined ? { defaultPayTo } : {}),
      ...(defaultNetwork !== undefined ? { defaultNetwork } : {}),
    },
  });
  return getSettings({ userId });
}
