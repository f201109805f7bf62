"use client";

import { useEffect, useState } from "react";
import { Skeleton } from "@/components/ui/skeleton";

/** The QR modules of `value` as one SVG path (the `qrcode` package is loaded on demand). */
async function qrPath(value: string): Promise<{ size: number; d: string }> {
  const QRCode = await import("qrcode");
  const { modules } = QRCode.create(value, { errorCorrectionLevel: "M" });
  let d = "";
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (modules.get(y, x)) d += `M${x} ${y}h1v1h-1z`;
    }
  }
  return { size: modules.size, d };
}

/** The SVG markup of a QR code (dark modules on white, 4-module quiet zone), for download. */
export function qrSvgMarkup(size: number, d: string, px = 512): string {
  const box = size + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="-4 -4 ${box} ${box}" shape-rendering="crispEdges"><rect x="-4" y="-4" width="${box}" height="${box}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}

/**
 * A QR code of `value`, drawn as SVG (always dark on white so any camera reads it, in either theme),
 * with a "Download SVG" link when `downloadName` is given.
 */
export function QrCode({ value, size = 192, downloadName }: { value: string; size?: number; downloadName?: string }) {
  const [qr, setQr] = useState<{ value: string; size: number; d: string } | null>(null);
  useEffect(() => {
    let live = true;
    qrPath(value).then((r) => live && setQr({ value, ...r }));
    return () => {
      live = false;
    };
  }, [value]);
  const ready = qr && qr.value === value;
  return (
    <div className="flex flex-col items-center gap-2">
      <div className="rounded-xl bg-white p-2 ring-1 ring-zinc-200 dark:ring-zinc-700" style={{ width: size + 16, height: size + 16 }}>
        {ready ? (
          <svg
            role="img"
            aria-label={`QR code for ${value}`}
            data-testid="qr-code"
            width={size}
            height={size}
            viewBox={`-4 -4 ${qr.size + 8} ${qr.size + 8}`}
            shapeRendering="crispEdges"
          >
            <rect x={-4} y={-4} width={qr.size + 8} height={qr.size + 8} fill="#fff" />
            <path fill="#000" d={qr.d} />
          </svg>
        ) : (
          <Skeleton className="h-full w-full" />
        )}
      </div>
      {ready && downloadName && (
        <a
          className="text-xs font-medium text-zinc-600 underline-offset-4 hover:underline dark:text-zinc-400"
          download={`${downloadName}.svg`}
          href={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrSvgMarkup(qr.size, qr.d))}`}
        >
          Download SVG
        </a>
      )}
    </div>
  );
}
