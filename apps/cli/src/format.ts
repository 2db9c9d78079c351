import { formatCandleTime } from "@tradeloom/types";
import { type BacktestResult, roundHalfAway } from "@tradeloom/backtester";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A number with 2 decimals, rounded half away from zero (the reference's display rounding). */
export function fmt(x: number, dp = 2): string {
  if (x === Number.POSITIVE_INFINITY) return "inf";
  if (x === Number.NEGATIVE_INFINITY) return "-inf";
  if (Number.isNaN(x)) return "NaN";
  return roundHalfAway(x, dp).toFixed(dp);
}

/** The summary block printed after a backtest. */
export function summaryText(r: BacktestResult, initialCapital: number, taxRate: number): string {
  const m = r.metrics;
  const row = (label: string, value: string) => `${`${label}:`.padEnd(20)}${value}`;
  const first = r.equity.time[0];
  const last = r.equity.time[r.equity.time.length - 1];
  const lines = [
    "=".repeat(60),
    "BACKTEST RESULTS",
    "=".repeat(60),
    ...(first !== undefined && last !== undefined ? [row("Start Date", formatCandleTime(first)), row("End Date", formatCandleTime(last))] : []),
    row("Initial Capital", fmt(initialCapital)),
    row("Final Equity", fmt(m.finalEquity)),
    row("Total Return", `${fmt(m.totalReturn)}%`),
    row("Post-Tax Return", `${fmt(m.postTaxReturn)}%`),
    row("Sharpe Ratio", fmt(m.sharpeRatio)),
    row("Sortino Ratio", fmt(m.sortinoRatio)),
    row("Calmar Ratio", fmt(m.calmarRatio)),
    row("Max Drawdown", `${fmt(m.maxDrawdown)}%`),
    row("Win Rate", `${fmt(m.winRate)}%`),
    row("Profit Factor", fmt(m.profitFactor)),
    row("Expectancy", fmt(m.expectancy)),
    row("Total Trades", String(m.totalTrades)),
    row("Winning Trades", String(m.winningTrades)),
    row("Losing Trades", String(m.losingTrades)),
    row("Average Win", fmt(m.avgWin)),
    row("Average Loss", fmt(m.avgLoss)),
    row("Largest Win", fmt(m.largestWin)),
    row("Largest Loss", fmt(m.largestLoss)),
    "-".repeat(60),
    row("Total Fees", fmt(m.totalCommission)),
    row(`Tax (${fmt(taxRate * 100, 0)}%)`, fmt(m.taxAmount)),
    row("TDS Withheld", fmt(m.tdsAmount)),
    row("Ambiguous Bars", `${r.ambiguousBars} (stop and target both inside the bar)`),
    row("Rejected Orders", String(r.rejectedOrders.length)),
    row("Dropped Entries", `${r.droppedEntries.halted} halted, ${r.droppedEntries.maxPositions} max positions, ${r.droppedEntries.zeroSize} zero size`),
    "=".repeat(60),
  ];
  return `${lines.join("\n")}\n`;
}

/** The trade list as a fixed-width table. */
export function tradesText(r: BacktestResult): string {
  if (r.trades.length === 0) return "No trades.\n";
  const head = `${"Symbol".padEnd(10)} ${"Side".padEnd(5)} ${"Entry time".padEnd(19)} ${"Exit time".padEnd(19)} ${"Entry".padStart(12)} ${"Exit".padStart(12)} ${"Qty".padStart(14)} ${"Net P&L".padStart(12)} Reason`;
  const rows = r.trades.map(
    (t) =>
      `${t.symbol.padEnd(10)} ${(t.side === "buy" ? "long" : "short").padEnd(5)} ${formatCandleTime(t.entryTime)} ${formatCandleTime(t.exitTime)} ${fmt(t.entryPrice.toNumber()).padStart(12)} ${fmt(t.exitPrice.toNumber()).padStart(12)} ${t.quantity.toNumber().toPrecision(8).padStart(14)} ${fmt(t.netPnl.toNumber()).padStart(12)} ${t.exitReason}${t.closesPosition ? "" : " (partial)"}`,
  );
  return `TRADES\n${head}\n${rows.join("\n")}\n`;
}

/** The monthly P&L matrix. */
export function monthlyText(r: BacktestResult): string {
  const mp = r.monthly;
  if (mp.months.length === 0) return "No trades to display monthly P&L matrix.\n";
  const lines = ["=".repeat(120), "MONTHLY P&L MATRIX", "=".repeat(120)];
  lines.push(`${"Year".padStart(6)} │ ${MONTHS.map((m) => m.padStart(10)).join(" │ ")} │ ${"Total".padStart(12)}`);
  lines.push("-".repeat(120));
  for (const y of mp.yearTotals) {
    const cells = MONTHS.map((_, i) => {
      const m = mp.months.find((x) => x.year === y.year && x.month === i + 1);
      return m ? fmt(m.netPnl).padStart(10) : " ".repeat(10);
    });
    lines.push(`${String(y.year).padStart(6)} │ ${cells.join(" │ ")} │ ${fmt(y.netPnl).padStart(12)}`);
  }
  lines.push("=".repeat(120));
  lines.push(`Total P&L: ${fmt(mp.total)}`);
  lines.push(`Monthly Win Rate: ${mp.monthlyWinRate.toFixed(1)}% (${mp.profitableMonths} profitable / ${mp.losingMonths} losing / ${mp.months.length} total months)`);
  lines.push("=".repeat(120));
  return `${lines.join("\n")}\n`;
}

/** The result as plain JSON: typed arrays become arrays, decimals strings, infinities strings. */
export function resultJson(r: BacktestResult): unknown {
  const num = (x: number) => (Number.isFinite(x) ? x : String(x));
  return {
    metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, num(v as number)])),
    trades: r.trades.map((t) => ({
      symbol: t.symbol,
      side: t.side,
      entryTime: formatCandleTime(t.entryTime),
      exitTime: formatCandleTime(t.exitTime),
      entryPrice: t.entryPrice,
      exitPrice: t.exitPrice,
      quantity: t.quantity,
      grossPnl: t.grossPnl,
      fees: t.fees,
      netPnl: t.netPnl,
      exitReason: t.exitReason,
      closesPosition: t.closesPosition,
    })),
    equity: Array.from(r.equity.time, (t, i) => ({ time: formatCandleTime(t), equity: r.equity.value[i] })),
    monthly: r.monthly,
    dataQuality: r.dataQuality.map((d) => ({
      ...d,
      gaps: d.gaps.map((g) => ({ after: formatCandleTime(g.after), before: formatCandleTime(g.before), missing: g.missing })),
      rangeUsed: d.rangeUsed ? { first: formatCandleTime(d.rangeUsed.first), last: formatCandleTime(d.rangeUsed.last) } : null,
    })),
    ambiguousBars: r.ambiguousBars,
    rejectedOrders: r.rejectedOrders.map((o) => ({ ...o, time: formatCandleTime(o.time) })),
    droppedEntries: r.droppedEntries,
    warnings: r.warnings,
    manifest: r.manifest,
  };
}

/** trades.csv */
export function tradesCsv(r: BacktestResult): string {
  const head = "symbol,side,entry_time,exit_time,entry_price,exit_price,quantity,gross_pnl,fees,net_pnl,exit_reason,closes_position";
  const rows = r.trades.map((t) =>
    [t.symbol, t.side, formatCandleTime(t.entryTime), formatCandleTime(t.exitTime), t.entryPrice, t.exitPrice, t.quantity, t.grossPnl, t.fees, t.netPnl, t.exitReason, t.closesPosition].join(","),
  );
  return `${[head, ...rows].join("\n")}\n`;
}

/** equity.csv */
export function equityCsv(r: BacktestResult): string {
  const rows = Array.from(r.equity.time, (t, i) => `${formatCandleTime(t)},${r.equity.value[i]}`);
  return `datetime,equity\n${rows.join("\n")}\n`;
}
