import type { Candle, Money, Side, Timeframe } from "@tradeloom/types";

/** Lifecycle of an exchange order, normalised across exchanges. */
export type OrderStatus = "pending" | "open" | "partially_filled" | "filled" | "cancelled" | "rejected";

/** `market` fills at the best available price; `limit` rests at `price`. */
export type OrderType = "market" | "limit";

/** An order to send. Prices and quantities are exact decimals. */
export interface OrderRequest {
  /** The exchange's market name for the client (`BTCINR` on CoinDCX, `RELIANCE` on Kite, `BTC/USDT` on ccxt). */
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Base-asset quantity (shares for Kite). */
  readonly quantity: Money;
  /** Limit price; required for `limit`, ignored for `market`. */
  readonly price?: Money;
  /**
   * Our own id of the order, unique per order. It is what makes a failed send safe to resolve: the client looks the
   * order up by it before ever sending again. Exchanges limit its form (Kite: ≤ 20 alphanumerics).
   */
  readonly clientOrderId: string;
}

/** An order as the exchange reports it. */
export interface Order {
  /** The exchange's order id. */
  readonly id: string;
  readonly clientOrderId: string | undefined;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly status: OrderStatus;
  readonly quantity: Money;
  readonly filledQuantity: Money;
  /** Limit price, if any. */
  readonly price: Money | undefined;
  /** Average fill price, if anything filled. */
  readonly averagePrice: Money | undefined;
  /** Fee charged so far, in the fee currency, if reported. */
  readonly fee: Money | undefined;
  /** When the exchange accepted it, epoch ms, if reported. */
  readonly createdAt: number | undefined;
}

/** Names an existing order by the exchange's id or by our client order id. */
export type OrderRef = { readonly id: string } | { readonly clientOrderId: string };

/** Funds of one currency. */
export interface Balance {
  readonly currency: string;
  /** Available for new orders. */
  readonly free: Money;
  /** Held by open orders. */
  readonly locked: Money;
}

/** Latest prices of a market. */
export interface Ticker {
  readonly symbol: string;
  readonly last: Money;
  readonly bid: Money | undefined;
  readonly ask: Money | undefined;
  /** Exchange time of the quote, epoch ms, if reported. */
  readonly time: number | undefined;
}

/** What an order must respect to be accepted. */
export interface MarketRules {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  /** Prices must be multiples of this. */
  readonly tickSize: Money;
  /** Quantities must be multiples of this. */
  readonly lotStep: Money;
  /** Smallest quantity accepted. */
  readonly minQuantity: Money;
  /** Smallest price × quantity accepted (0 when the exchange has none). */
  readonly minNotional: Money;
}

/** A held position (Kite). */
export interface Position {
  readonly symbol: string;
  readonly exchange: string;
  /** Signed quantity: negative for shorts. */
  readonly quantity: Money;
  readonly averagePrice: Money;
  readonly lastPrice: Money;
  readonly pnl: Money;
}

/** Which candles to fetch. Times are epoch ms of candle open times, both inclusive. */
export interface CandleQuery {
  readonly since?: number;
  readonly until?: number;
  /** Most candles in the answer (each exchange caps it: Binance and CoinDCX 1000). */
  readonly limit?: number;
}

/** Candles are plain numbers (analysis data); money is exact only in orders and balances. */
export type { Candle };

/**
 * What the live engine needs from an exchange. Every method may throw {@link ExchangeError}; reads are retried
 * internally, order sends never blindly (see `placeOrder`).
 */
export interface ExchangeClient {
  /** Exchange id (`coindcx`, `kite`, `binance`, a ccxt id). */
  readonly id: string;
  /** Candles in ascending open-time order, without duplicates; the last one may still be forming. */
  fetchCandles(symbol: string, timeframe: Timeframe, query?: CandleQuery, signal?: AbortSignal): Promise<Candle[]>;
  /** Latest price and best bid/ask. */
  fetchTicker(symbol: string, signal?: AbortSignal): Promise<Ticker>;
  /** Free and locked funds per currency. */
  fetchBalances(signal?: AbortSignal): Promise<Balance[]>;
  /**
   * Sends an order once. After an ambiguous failure it looks the order up by `clientOrderId` and re-sends only if
   * the exchange confirms it absent; if that cannot be settled it throws `EXCHANGE_ORDER_UNCERTAIN`.
   */
  placeOrder(request: OrderRequest, signal?: AbortSignal): Promise<Order>;
  /** Cancels an open order. @throws ExchangeError `EXCHANGE_UNKNOWN_ORDER` when no such order exists. */
  cancelOrder(ref: OrderRef, symbol: string, signal?: AbortSignal): Promise<void>;
  /** The order's current state. @throws ExchangeError `EXCHANGE_UNKNOWN_ORDER` when no such order exists. */
  fetchOrder(ref: OrderRef, symbol: string, signal?: AbortSignal): Promise<Order>;
  /** Orders of `symbol` still working (open or partially filled). */
  fetchOpenOrders(symbol: string, signal?: AbortSignal): Promise<Order[]>;
  /** Tick size, lot step and minimums an order must respect (cached after the first call). */
  marketRules(symbol: string, signal?: AbortSignal): Promise<MarketRules>;
}
