import type { MetadataRoute } from "next";

/** Web app manifest: name and icons for "Add to home screen" (the icons are `app/icon.svg` and `app/apple-icon.tsx`). */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Vend",
    short_name: "Vend",
    description: "Sell access to private files over x402: expiring, USDC-priced payment links for people and agents.",
    start_url: "/dashboard",
    display: "standalone",
    background_color: "#ffffff",
    theme_color: "#18181b",
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/apple-icon", sizes: "180x180", type: "image/png" },
    ],
  };
}
