import { Orders, type OrderRequest, type PositionView } from "@tradeloom/oms";
import type { Side } from "@tradeloom/types";
import type { WindowAdx } from "../indicators/adx";

/** Market entries with the placeholder quantity 1 (the engine sizes entries); shared, never mutated. */
export const ENTER_LONG: readonly OrderRequest[] = Object.freeze([Orders.marketBuy(1)]);
/** See {@link ENTER_LONG}. */
export const ENTER_SHORT: readonly OrderRequest[] = Object.freeze([Orders.marketSell(1)]);

/** Closes the whole position at market: a sell for a long, a buy for a short, reduce-only. */
export function closePosition(position: PositionView): readonly OrderRequest[] {
  const order = position.side === "buy" ? Orders.marketSell(position.quantity) : Orders.marketBuy(position.quantity);
  return [Orders.reduceOnly(order)];
}

/** Sells the whole position at market, reduce-only, whatever its side (strategies written for longs only). */
export function sellPosition(position: PositionView): readonly OrderRequest[] {
  return [Orders.reduceOnly(Orders.marketSell(position.quantity))];
}

/** NaN (an absent indicator value) read as 0, as the reference's `unwrap_or(0.0)` does. */
export function orZero(x: number): number {
  return Number.isNaN(x) ? 0 : x;
}

/**
 * The sign of `orZero(ADX) − level` for the window `start … end` (the reference's `adx.unwrap_or(0.0)` compared with
 * a level), exact but usually without the ADX's pass over the window (see {@link WindowAdx.compareAt}).
 */
export function adxVersus(adx: WindowAdx, start: number, end: number, level: number): number {
  const vs = adx.compareAt(start, end, level);
  return Number.isNaN(vs) ? Math.sign(0 - level) : vs;
}

/** A protective stop `distance` away from the entry on the losing side: below for a long, above for a short. */
export function stopAt(entryPrice: number, side: Side, distance: number): number {
  return side === "buy" ? entryPrice - distance : entryPrice + distance;
}

/** A target `distance` away from the entry on the winning side: above for a long, below for a short. */
export function targetAt(entryPrice: number, side: Side, distance: number): number {
  return side === "buy" ? entryPrice + distance : entryPrice - distance;
}
