"use client";

import { useState } from "react";
import { formatDay, formatMoney } from "@/lib/format";
import type { SalesResponse } from "@/components/dashboard/types";

type Day = SalesResponse["days"][number];

const W = 720;
const H = 180;
const PAD_TOP = 8;
const PAD_BOTTOM = 22;

/**
 * Revenue per day as an SVG bar chart (no chart library). Heights are ratios of BigInt atomic
 * amounts; every label is formatted from atomic units. Hover a bar, or focus the chart and use the
 * arrow keys (Home, End), for its day; screen readers get the same data as a table.
 */
export function RevenueChart({ days }: { days: Day[] }) {
  const [active, setActive] = useState<number | null>(null);
  const max = days.reduce((m, d) => (BigInt(d.revenue) > m ? BigInt(d.revenue) : m), 0n);
  const total = days.reduce((s, d) => s + BigInt(d.revenue), 0n);
  const count = days.reduce((s, d) => s + d.count, 0);
  const slot = W / Math.max(days.length, 1);
  const barW = Math.max(2, slot * 0.62);
  const plotH = H - PAD_TOP - PAD_BOTTOM;
  const heightOf = (rev: string) => (max === 0n ? 0 : (Number((BigInt(rev) * 10_000n) / max) / 10_000) * plotH);
  const shown = active !== null ? days[active] : null;
  const onKeyDown = (e: React.KeyboardEvent) => {
    const last = days.length - 1;
    const from = active ?? last + 1;
    const next = { ArrowLeft: from - 1, ArrowRight: active === null ? last : from + 1, Home: 0, End: last }[e.key];
    if (next === undefined || last < 0) return;
    e.preventDefault();
    setActive(Math.min(last, Math.max(0, next)));
  };

  return (
    <div>
      <div className="mb-3 flex min-h-10 items-end justify-between gap-4" aria-live="polite">
        <div>
          <p className="text-xs text-zinc-500">{shown ? formatDay(shown.date) : "Last 30 days"}</p>
          <p className="text-lg font-semibold tabular-nums">
            {formatMoney(shown ? shown.revenue : total)} <span className="text-sm font-normal text-zinc-500">USDC</span>
          </p>
        </div>
        <p className="text-sm tabular-nums text-zinc-500">
          {shown ? shown.count : count} sale{(shown ? shown.count : count) === 1 ? "" : "s"}
        </p>
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-44 w-full overflow-visible rounded-sm focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-500"
        preserveAspectRatio="none"
        role="img"
        tabIndex={0}
        aria-label={`Revenue per day over the last ${days.length} days: ${formatMoney(total)} USDC in total. Arrow keys read each day.`}
        onMouseLeave={() => setActive(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setActive(null)}
      >
        {[0, 0.5, 1].map((f) => (
          <line
            key={f}
            x1={0}
            x2={W}
            y1={PAD_TOP + plotH * (1 - f)}
            y2={PAD_TOP + plotH * (1 - f)}
            className="stroke-zinc-200 dark:stroke-zinc-800"
            strokeDasharray={f === 0 ? undefined : "3 4"}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        {days.map((d, i) => {
          const h = heightOf(d.revenue);
          const x = i * slot + (slot - barW) / 2;
          return (
            <g key={d.date} onMouseEnter={() => setActive(i)}>
              <rect x={i * slot} y={0} width={slot} height={H} fill="transparent" />
              <rect
                x={x}
                y={PAD_TOP + plotH - Math.max(h, d.count ? 2 : 0)}
                width={barW}
                height={Math.max(h, d.count ? 2 : 0)}
                rx={2}
                className={active === i ? "fill-indigo-600 dark:fill-indigo-400" : "fill-indigo-500/80 dark:fill-indigo-500/70"}
              />
            </g>
          );
        })}
      </svg>
      <div className="mt-1 flex justify-between text-[11px] text-zinc-500" aria-hidden="true">
        <span>{days[0] && formatDay(days[0].date)}</span>
        <span>{days[Math.floor(days.length / 2)] && formatDay(days[Math.floor(days.length / 2)]!.date)}</span>
        <span>{days.at(-1) && formatDay(days.at(-1)!.date)}</span>
      </div>
      {max > 0n && (
        <p className="sr-only">Highest day: {formatMoney(max)} USDC.</p>
      )}
      <table className="sr-only">
        <caption>Revenue per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Sales</th>
            <th scope="col">Revenue (USDC)</th>
          </tr>
        </thead>
        <tbody>
          {days
            .filter((d) => d.count > 0)
            .map((d) => (
              <tr key={d.date}>
                <td>{formatDay(d.date)}</td>
                <td>{d.count}</td>
                <td>{formatMoney(d.revenue)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
