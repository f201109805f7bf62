import "server-only";
import { bazaarResourceServerExtension, declareDiscoveryExtension } from "@x402/extensions/bazaar";
import { formatUsdc } from "@/lib/format";
import type { LinkForSale } from "@/lib/purchases/sale";

/** What a listed link tells discovery about itself (and what the catalog lists). */
export type ListingFacts = {
  title: string;
  description: string | null;
  mimeType: string;
  /** Payload bytes, as a decimal string (BigInt column). */
  size: string;
  /** Price in atomic units of `asset`, as a decimal string, and as a USDC decimal string. */
  price: { amount: string; display: string; asset: string; network: string };
};

/** The facts of a link for discovery: title (or file name), description, MIME type, size, price. */
export function listingFacts(link: LinkForSale): ListingFacts {
  return {
    title: link.title ?? link.object.name,
    description: link.description,
    mimeType: link.object.contentType,
    size: link.object.size.toString(),
    price: { amount: link.amount.toString(), display: formatUsdc(link.amount), asset: link.asset, network: link.network },
  };
}

/**
 * The x402 `bazaar` (discovery) extension of a listed link's 402, so that a facilitator with
 * discovery indexes it (specs/extensions/bazaar.md): a `GET` with no input, whose output is the
 * file itself (`type: "file"`, `format` = its MIME type), described by `example` = the link's
 * {@link ListingFacts}. Built with `declareDiscoveryExtension` and enriched for `GET` by the
 * official `bazaarResourceServerExtension` (no route template: each link is its own resource, and
 * nothing about other links' URLs is revealed).
 */
export function bazaarExtension(link: LinkForSale): Record<string, unknown> {
  const facts = listingFacts(link);
  const { bazaar } = declareDiscoveryExtension({
    input: {},
    inputSchema: { properties: {} },
    output: {
      example: facts,
      schema: {
        properties: {
          title: { type: "string" },
          description: { type: ["string", "null"] },
          mimeType: { type: "string" },
          size: { type: "string", description: "bytes" },
          price: { type: "object" },
        },
      },
    },
  });
  const path = `/l/${link.slug}`;
  const enriched = bazaarResourceServerExtension.enrichDeclaration!(bazaar, {
    method: "GET",
    adapter: { getPath: () => path },
  }) as { info: { output?: Record<string, unknown> } };
  return { bazaar: { ...enriched, info: { ...enriched.info, output: { ...enriched.info.output, type: "file", format: facts.mimeType } } } };
}
