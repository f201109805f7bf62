"use client";

import { useEffect, useState } from "react";
import { formatTimeLeft } from "@/lib/format";

/**
 * Time left until `expiresAt`, ticking every second in the last hour (every 30 s before). The
 * server renders the same text from its own clock, so the first paint needs no JavaScript.
 */
export function Countdown({ expiresAt, initial }: { expiresAt: string; initial: string }) {
  const end = new Date(expiresAt).getTime();
  const [text, setText] = useState(initial);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const now = Date.now();
      const left = end - now;
      setText(formatTimeLeft(end, now));
      if (left > 0) timer = setTimeout(tick, left > 3_600_000 ? 30_000 : 1000 - (Date.now() % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [end]);
  return (
    <time dateTime={expiresAt} data-testid="countdown" className="tabular-nums" suppressHydrationWarning>
      {text}
    </time>
  );
}
