import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { getNetwork } from "@/lib/networks";

export const getSettingsInput = z.object({ userId: z.string().min(1) });
export type GetSettingsInput = z.input<typeof getSettingsInput>;

/**
 * The creator's settings: the signed-in `address`, and the defaults the new-link form starts from —
 * `defaultPayTo` (checksummed, or null = the signed-in address) and `defaultNetwork` (CAIP-2, or
 * null; a saved network that is no longer configured on this server reads as null).
 * @throws AppError `not_found` when the user does not exist.
 */
export async function getSettings(input: GetSettingsInput) {
  const { userId } = getSettingsInput.parse(input);
  const prisma = await db();
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { address: true, defaultPayTo: true, defaultNetwork: true },
  });
  if (!user) throw notFound("User");
  const network = user.defaultNetwork ? getNetwork(user.defaultNetwork) : undefined;
  return {
    address: user.address,
    defaultPayTo: user.defaultPayTo,
    defaultNetwork: network?.rpcUrl ? network.id : null,
  };
}
export type Settings = Awaited<ReturnType<typeof getSettings>>;
