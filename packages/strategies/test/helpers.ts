import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CandleSeries, Money, type Side } from "@tradeloom/types";
import type { PositionView } from "@tradeloom/oms";
import type { BarWindow, StrategyContext } from "../src/strategy";

/** Loads a CSV from test/fixtures as a series. */
export function loadFixture(file: string): CandleSeries {
  const text = readFileSync(fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url)), "utf8");
  const rows = text.trim().split("\n").slice(1);
  return CandleSeries.fromCandles(
    rows.map((line) => {
      const [dt, o, h, l, c, v] = line.split(",");
      return { time: Date.parse(`${dt!.replace(" ", "T")}Z`), open: +o!, high: +h!, low: +l!, close: +c!, volume: +v! };
    }),
  );
}

/** A series from columns; open defaults to close, volume to 1, times are days. */
export function seriesOf(cols: { high: number[]; low: number[]; close: number[]; open?: number[]; volume?: number[] }): CandleSeries {
  return CandleSeries.fromCandles(
    cols.close.map((close, i) => ({
      time: i * 86_400_000,
      open: cols.open?.[i] ?? close,
      high: cols.high[i]!,
      low: cols.low[i]!,
      close,
      volume: cols.volume?.[i] ?? 1,
    })),
  );
}

/** The reference window ending at `end`: at most `size` bars. */
export function windowAt(series: CandleSeries, end: number, size = 300): BarWindow {
  return { series, start: Math.max(0, end - size + 1), end };
}

/** A position snapshot. */
export function positionOf(side: Side, quantity: number, avgEntry: number, symbol = "TEST"): PositionView {
  return {
    symbol,
    side,
    quantity,
    avgEntry,
    quantityExact: Money.of(quantity),
    avgEntryExact: Money.of(avgEntry),
    entryTime: 0,
    unrealizedPnl: (price) => (side === "buy" ? (price - avgEntry) * quantity : (avgEntry - price) * quantity),
  };
}

/** A context for the bar `end` of `series`. */
export function contextAt(
  series: CandleSeries,
  end: number,
  extra: Partial<Omit<StrategyContext, "window" | "time">> & { size?: number } = {},
): StrategyContext {
  const { size, ...rest } = extra;
  return {
    symbol: "TEST",
    time: series.time[end]!,
    window: windowAt(series, end, size),
    timeframes: undefined,
    position: undefined,
    openOrders: [],
    cash: 100_000,
    equity: 100_000,
    peakEquity: 100_000,
    ...rest,
  };
}

/** Window slice columns, for batch recomputation. */
export function sliceOf(w: BarWindow): CandleSeries {
  return w.series.slice(w.start, w.end + 1);
}

/** Asserts |a − b| ≤ tol·max(|a|, |b|, scale); NaN only matches NaN. */
export function close(a: number, b: number, scale = 0, tol = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= tol * Math.max(Math.abs(a), Math.abs(b), scale);
}

/** A realised trade of `TEST` (closes the position unless told otherwise). */
export function tradeOf(closesPosition = true): import("@tradeloom/oms").Trade {
  return {
    symbol: "TEST",
    side: "buy",
    entryTime: 0,
    exitTime: 1,
    entryPrice: Money.of(100),
    exitPrice: Money.of(101),
    quantity: Money.of(1),
    grossPnl: Money.of(1),
    fees: Money.ZERO,
    netPnl: Money.of(1),
    exitReason: "stop",
    closesPosition,
  };
}

/** A plain copy of `params` with the given fields changed. */
export function withParams<P extends object>(params: P, changes: Partial<P>): P {
  return { ...params, ...changes };
}
