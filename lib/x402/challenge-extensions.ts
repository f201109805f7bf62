import "server-only";
import type { PaymentRequirements } from "@x402/core/types";
import { SIGN_IN_WITH_X } from "@x402/extensions/sign-in-with-x";
import { OFFER_RECEIPT } from "@x402/extensions/offer-receipt";
import { siwxChallenge } from "@/lib/access/siwx";
import { bazaarExtension } from "@/lib/catalog/bazaar";
import { linkUrl, type LinkForSale } from "@/lib/purchases/sale";
import { offerExtension } from "@/lib/x402/offer-receipt";

/**
 * The x402 v2 extensions a link's 402 declares besides `payment-identifier` (which
 * lib/x402/requirements.ts always adds), built from the link and the requirements it offers
 * (`accepts`), so they follow a link paid on several networks:
 * - `sign-in-with-x`: a fresh challenge (new nonce, issuedAt) for buyers coming back;
 * - `offer-receipt`: the deployment's signed offers for `accepts`;
 * - `bazaar`: only for links the creator listed.
 */
export async function challengeExtensions(link: LinkForSale, accepts: PaymentRequirements[]): Promise<Record<string, unknown>> {
  const url = linkUrl(link.slug);
  return {
    [SIGN_IN_WITH_X]: siwxChallenge(url, accepts),
    [OFFER_RECEIPT]: await offerExtension(url, accepts),
    ...(link.listed ? bazaarExtension(link) : {}),
  };
}
