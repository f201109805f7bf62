import { readFile } from "node:fs/promises";
import path from "node:path";
import { ImageResponse } from "next/og";
import { describeType, formatBytes, formatUsdc } from "@/lib/format";
import { loadLinkWithSeller } from "@/lib/pay/view";
import { getNetwork } from "@/lib/networks";

export const alt = "A Vend payment link: title and price in USDC";
export const size = { width: 1200, height: 630 };
export const contentType = "image/png";

/**
 * Keeps what the local fonts can draw (Latin, punctuation, currency signs). Anything else would
 * make the renderer fetch fallback fonts or emoji from the network, which this image must never do.
 */
function drawable(text: string): string {
  return text
    .replace(/[^\u0020-\u024f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u214f]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * The renderer mis-kerns a normal space after some Geist glyphs ("preview worth" gets a wide
 * gap), while a no-break space renders right. So lines are broken here (greedy, by an average
 * glyph width) and each line is drawn with no-break spaces.
 */
function lines(text: string, fontSize: number, width: number, maxLines: number): string[] {
  const perLine = Math.max(8, Math.floor(width / (fontSize * 0.5)));
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= perLine || !line) line = next;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  if (out.length > maxLines) {
    out.length = maxLines;
    out[maxLines - 1] = clip(`${out[maxLines - 1]!}…`, perLine);
  }
  return out.map((l) => clip(l, perLine + 2).replace(/ /g, "\u00a0"));
}

const nbsp = (text: string) => text.replace(/ /g, "\u00a0");

/** Geist from the `geist` package on disk (next/og's built-in font is Geist Regular). */
async function fonts() {
  const dir = path.join(process.cwd(), "node_modules/geist/dist/fonts/geist-sans");
  try {
    const [regular, semibold] = await Promise.all([
      readFile(path.join(dir, "Geist-Regular.ttf")),
      readFile(path.join(dir, "Geist-SemiBold.ttf")),
    ]);
    return [
      { name: "Geist", data: regular, weight: 400 as const, style: "normal" as const },
      { name: "Geist", data: semibold, weight: 600 as const, style: "normal" as const },
    ];
  } catch {
    return undefined; // next/og's bundled default font
  }
}

/** The Open Graph / Twitter card of a payment link: its title and price, so a shared link previews well. */
export default async function Image({ params }: { params: Promise<{ slug: string }> }) {
  const loaded = await loadLinkWithSeller((await params).slug);
  const link = loaded?.link;
  const title = link ? drawable(link.title?.trim() || link.object.name) || "A file for sale" : "Payment link not found";
  const titleSize = title.length > 40 ? 60 : 76;
  const titleLines = lines(title, titleSize, 1056, 3);
  const network = link ? getNetwork(link.network) : undefined;
  const price = link ? formatUsdc(link.amount, network?.decimals ?? 6) : "";
  const file = link
    ? clip(drawable(`${link.object.name} · ${describeType(link.object.contentType, link.object.name)} · ${formatBytes(link.object.size)}`), 70)
    : "";
  return new ImageResponse(
    (
      <div
        style={{
          width: "100%",
          height: "100%",
          display: "flex",
          flexDirection: "column",
          justifyContent: "space-between",
          padding: "64px 72px",
          background: "linear-gradient(135deg, #ffffff 0%, #f4f4f5 100%)",
          color: "#18181b",
          fontFamily: "Geist",
        }}
      >
        <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between", fontSize: 30 }}>
          <span style={{ fontWeight: 600, letterSpacing: -0.5 }}>Vend</span>
          <span style={{ color: "#71717a", fontSize: 26 }}>{nbsp(network ? `Pay with USDC on ${drawable(network.name)}` : "x402 payment link")}</span>
        </div>
        <div style={{ display: "flex", flexDirection: "column" }}>
          {titleLines.map((line, i) => (
            <div key={i} style={{ display: "flex", fontSize: titleSize, fontWeight: 600, lineHeight: 1.12 }}>
              {line}
            </div>
          ))}
          {file ? <div style={{ display: "flex", marginTop: 24, fontSize: 28, color: "#52525b" }}>{nbsp(file)}</div> : null}
        </div>
        <div style={{ display: "flex", alignItems: "center", justifyContent: "space-between" }}>
          {price ? (
            <div
              style={{
                display: "flex",
                padding: "14px 30px",
                borderRadius: 999,
                background: "#18181b",
                color: "#ffffff",
                fontSize: 44,
                fontWeight: 600,
              }}
            >
              {nbsp(price)}
            </div>
          ) : (
            <div />
          )}
          <span style={{ color: "#71717a", fontSize: 24 }}>{nbsp("Pay from your wallet · agents pay with x402")}</span>
        </div>
      </div>
    ),
    { ...size, fonts: await fonts() },
  );
}
