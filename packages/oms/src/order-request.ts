import type { Side } from "@tradeloom/types";

/** Kind of order. `stop_limit` rests in the book but the backtest fill models never fill it. */
export type OrderType = "market" | "limit" | "stop" | "stop_limit";

/**
 * How long an order may rest: `gtc` until cancelled, `gtd` until `expiresAt` (UTC ms), `ioc` fills what it can on
 * its first eligible bar and cancels the rest, `fok` fills completely on its first eligible bar or is cancelled.
 */
export type TimeInForce = { readonly kind: "gtc" } | { readonly kind: "gtd"; readonly expiresAt: number } | { readonly kind: "ioc" } | { readonly kind: "fok" };

/** Good-till-cancelled, the default. */
export const GTC: TimeInForce = Object.freeze({ kind: "gtc" });

/**
 * What a strategy asks for. Prices and quantities are plain numbers here (strategies work in numbers); the order
 * management system converts them to exact decimals once, when the request becomes an {@link Order}.
 *
 * For an entry (the symbol is flat) the engine's risk manager replaces `quantity` with a risk-sized one, so
 * strategies pass a placeholder such as `1`.
 */
export interface OrderRequest {
  readonly side: Side;
  readonly type: OrderType;
  /** Quantity in base units; a placeholder for entries. */
  readonly quantity: number;
  /** Limit price, for `limit` and `stop_limit`. */
  readonly limitPrice?: number;
  /** Trigger price, for `stop` and `stop_limit`. */
  readonly stopPrice?: number;
  readonly timeInForce: TimeInForce;
  /** Free text echoed on fills and trades (e.g. `grid_buy_3`). */
  readonly clientId?: string;
  /** Never increases the position: capped at the open quantity and cancelled when the position goes flat. */
  readonly reduceOnly: boolean;
}

function req(side: Side, type: OrderType, quantity: number, extra: Partial<OrderRequest> = {}): OrderRequest {
  return Object.freeze({ side, type, quantity, timeInForce: GTC, reduceOnly: false, ...extra });
}

/** Named constructors for {@link OrderRequest}s, plus copy-with helpers. */
export const Orders = {
  /** Market buy. */
  marketBuy: (quantity: number): OrderRequest => req("buy", "market", quantity),
  /** Market sell. */
  marketSell: (quantity: number): OrderRequest => req("sell", "market", quantity),
  /** Limit buy at `price` or lower. */
  limitBuy: (quantity: number, price: number): OrderRequest => req("buy", "limit", quantity, { limitPrice: price }),
  /** Limit sell at `price` or higher. */
  limitSell: (quantity: number, price: number): OrderRequest => req("sell", "limit", quantity, { limitPrice: price }),
  /** Stop buy: triggers when the high reaches `price`. */
  stopBuy: (quantity: number, price: number): OrderRequest => req("buy", "stop", quantity, { stopPrice: price }),
  /** Stop sell: triggers when the low reaches `price`. */
  stopSell: (quantity: number, price: number): OrderRequest => req("sell", "stop", quantity, { stopPrice: price }),
  /** Copy with a client id. */
  withClientId: (r: OrderRequest, clientId: string): OrderRequest => Object.freeze({ ...r, clientId }),
  /** Copy with a time in force. */
  withTimeInForce: (r: OrderRequest, timeInForce: TimeInForce): OrderRequest => Object.freeze({ ...r, timeInForce }),
  /** Copy marked reduce-only. */
  reduceOnly: (r: OrderRequest): OrderRequest => Object.freeze({ ...r, reduceOnly: true }),
} as const;
