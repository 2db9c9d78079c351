import { z } from "zod";
import { type BarWindow, defineStrategy, NO_ORDERS, Orders, type Strategy, type StrategyContext } from "@tradeloom/strategies";
import type { OrderRequest, PositionView } from "@tradeloom/oms";
import type { Side } from "@tradeloom/types";

/** Parameters of {@link donchianBreakout}, validated from the config's `strategy` section. */
export const DonchianParams = z.object({
  /** Bars of the channel (the current bar excluded). */
  channel_bars: z.number().int().min(2).default(20),
  /** Bars of the exit channel: a close below its low exits a long. */
  exit_bars: z.number().int().min(2).default(10),
  /** Stop distance as a fraction of the entry price. */
  stop_pct: z.number().gt(0).lt(1).default(0.05),
  /** Target distance as a fraction of the entry price. */
  target_pct: z.number().gt(0).default(0.15),
});

/** Validated parameters. */
export type DonchianParams = z.infer<typeof DonchianParams>;

function channel(w: BarWindow, bars: number): { high: number; low: number } | undefined {
  const from = w.end - bars;
  if (from < w.start) return undefined;
  let high = -Infinity;
  let low = Infinity;
  for (let i = from; i < w.end; i++) {
    if (w.series.high[i]! > high) high = w.series.high[i]!;
    if (w.series.low[i]! < low) low = w.series.low[i]!;
  }
  return { high, low };
}

/** Long-only breakout: buys a close above the previous `channel_bars` high, exits a close below the `exit_bars` low. */
export class DonchianBreakout implements Strategy {
  readonly name = "donchian_breakout";
  readonly #p: DonchianParams;
  readonly #buy: readonly OrderRequest[] = [Orders.marketBuy(1)];

  constructor(params: DonchianParams) {
    this.#p = params;
  }

  generateOrders(ctx: StrategyContext): readonly OrderRequest[] {
    const w = ctx.window;
    const close = w.series.close[w.end]!;
    if (ctx.position) {
      const exit = channel(w, this.#p.exit_bars);
      return exit && close < exit.low ? [Orders.marketSell(ctx.position.quantity)] : NO_ORDERS;
    }
    const entry = channel(w, this.#p.channel_bars);
    return entry && close > entry.high ? this.#buy : NO_ORDERS;
  }

  calculateStopLoss(_w: BarWindow, entry: number, side: Side): number {
    return side === "buy" ? entry * (1 - this.#p.stop_pct) : entry * (1 + this.#p.stop_pct);
  }

  calculateTakeProfit(_w: BarWindow, entry: number, side: Side): number {
    return side === "buy" ? entry * (1 + this.#p.target_pct) : entry * (1 - this.#p.target_pct);
  }

  updateTrailingStop(pos: PositionView, price: number): number | undefined {
    // Once 5 % in profit, trail at the stop distance below the close; the engine only ever tightens it.
    return pos.side === "buy" && price >= pos.avgEntry * 1.05 ? price * (1 - this.#p.stop_pct) : undefined;
  }
}

/** The pack's strategy definition: register it, or point `strategy.module` at this package. */
export const donchianBreakout = defineStrategy({
  name: "donchian_breakout",
  description: "Long-only Donchian-channel breakout with a percentage stop, target and trailing stop",
  schema: DonchianParams,
  create: (params) => new DonchianBreakout(params),
});
