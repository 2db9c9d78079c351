import type { Trade } from "@tradeloom/oms";

/** One month of realised P&L (by exit time, UTC). */
export interface MonthlyRow {
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  readonly netPnl: number;
  readonly trades: number;
  readonly winners: number;
  readonly losers: number;
  /** Percent. */
  readonly winRate: number;
}

/** The monthly P&L table: months with trades, year totals and the share of profitable months. */
export interface MonthlyPnl {
  readonly months: readonly MonthlyRow[];
  readonly yearTotals: readonly { readonly year: number; readonly netPnl: number }[];
  readonly total: number;
  readonly profitableMonths: number;
  readonly losingMonths: number;
  /** Profitable months ÷ months with trades × 100. */
  readonly monthlyWinRate: number;
}

/** Groups trades by the (year, month) of their exit time. */
export function monthlyPnl(trades: readonly Trade[]): MonthlyPnl {
  const byKey = new Map<number, { net: number; n: number; w: number }>();
  for (const t of trades) {
    const d = new Date(t.exitTime);
    const key = d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
    const net = t.netPnl.toNumber();
    const e = byKey.get(key) ?? { net: 0, n: 0, w: 0 };
    e.net += net;
    e.n++;
    if (net > 0) e.w++;
    byKey.set(key, e);
  }
  const months: MonthlyRow[] = [...byKey.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([k, e]) => ({ year: Math.floor(k / 100), month: k % 100, netPnl: e.net, trades: e.n, winners: e.w, losers: e.n - e.w, winRate: (e.w / e.n) * 100 }));
  const years = new Map<number, number>();
  for (const m of months) years.set(m.year, (years.get(m.year) ?? 0) + m.netPnl);
  const profitable = months.filter((m) => m.netPnl > 0).length;
  return {
    months,
    yearTotals: [...years.entries()].map(([year, netPnl]) => ({ year, netPnl })),
    total: months.reduce((s, m) => s + m.netPnl, 0),
    profitableMonths: profitable,
    losingMonths: months.length - profitable,
    monthlyWinRate: months.length > 0 ? (profitable / months.length) * 100 : 0,
  };
}
