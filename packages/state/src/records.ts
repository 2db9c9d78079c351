import type { Money, Side } from "@tradeloom/types";
import type { JsonObject, JsonValue } from "./canonical-json";

/** UTC milliseconds since the Unix epoch, always supplied by the caller (the store never reads the wall clock). */
export type UtcMillis = number;

/** `open` positions are restored on restart; `closed` ones are kept for the record and never come back (G7). */
export type PositionStatus = "open" | "closed";

/** One row per symbol: the engine's position, as it must be restored after a restart. */
export interface PositionRecord {
  readonly symbol: string;
  /** `buy` = long, `sell` = short. */
  readonly side: Side;
  /** Unsigned quantity in base units (zero once closed, if the caller wants). */
  readonly quantity: Money;
  /** Average entry price. */
  readonly entryPrice: Money;
  readonly entryTime: UtcMillis;
  readonly stopLoss?: Money;
  readonly takeProfit?: Money;
  /** Stop moved by the strategy's trailing hook, restored as is. */
  readonly trailingStop?: Money;
  readonly status: PositionStatus;
  /** P&L realised on this position so far, net of fees. */
  readonly realizedPnl: Money;
  /** Price of the fill that closed the position. */
  readonly exitPrice?: Money;
  /** When the position closed; required once `status` is `closed`. */
  readonly exitTime?: UtcMillis;
  readonly updatedAt: UtcMillis;
}

/** Life cycle of an order, as the order management system names it. */
export type OrderStatus = "pending" | "open" | "partially_filled" | "filled" | "cancelled" | "rejected" | "expired";

/** Statuses of orders that may still fill and must be reconciled with the exchange after a restart. */
export const ACTIVE_ORDER_STATUSES: readonly OrderStatus[] = Object.freeze(["pending", "open", "partially_filled"]);

/** Kind of order. */
export type OrderType = "market" | "limit" | "stop" | "stop_limit";

/** How long an order may rest; `gtd` orders carry `expiresAt`. */
export type TimeInForce = "gtc" | "gtd" | "ioc" | "fok";

/**
 * An order the engine placed. Keyed by the client order id the engine sent to the exchange, so that a restarted
 * engine can find each one at the exchange and reconcile it (gap G6: orders are kept, never dropped on restart).
 */
export interface OrderRecord {
  readonly clientOrderId: string;
  /** The exchange's id, once acknowledged. */
  readonly exchangeOrderId?: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  /** Ordered quantity. */
  readonly quantity: Money;
  readonly filledQuantity: Money;
  readonly limitPrice?: Money;
  readonly stopPrice?: Money;
  readonly timeInForce: TimeInForce;
  readonly expiresAt?: UtcMillis;
  readonly reduceOnly: boolean;
  readonly status: OrderStatus;
  readonly createdAt: UtcMillis;
  readonly updatedAt: UtcMillis;
}

/** One execution, as given to {@link SqliteStateManager.recordFill}. */
export interface FillInput {
  /** The order this fill belongs to; it must have been saved first. Absent for synthetic fills. */
  readonly clientOrderId?: string;
  /** The exchange's execution id; unique, so that a fill reported twice cannot be recorded twice. */
  readonly exchangeFillId?: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: Money;
  readonly quantity: Money;
  readonly fee: Money;
  /** True when the fill paid the maker fee. */
  readonly maker: boolean;
  readonly time: UtcMillis;
}

/** A recorded fill: its input plus the id the store gave it. */
export interface FillRecord extends FillInput {
  readonly id: number;
}

/** A realised round trip (or part of one), as given to {@link SqliteStateManager.recordTrade}. */
export interface TradeInput {
  /** The fill that realised this trade; it must have been recorded first. */
  readonly fillId?: number;
  readonly symbol: string;
  /** Side of the position that was closed (`buy` = long). */
  readonly side: Side;
  readonly quantity: Money;
  readonly entryPrice: Money;
  readonly exitPrice: Money;
  readonly entryTime: UtcMillis;
  readonly exitTime: UtcMillis;
  readonly grossPnl: Money;
  readonly fees: Money;
  readonly netPnl: Money;
  /** Why the position was (partly) closed, e.g. `target`, `stop`, `signal`. */
  readonly exitReason: string;
  /** True when this trade left the position flat (or flipped it). */
  readonly closesPosition: boolean;
}

/** A recorded trade: its input plus the id the store gave it. */
export interface TradeRecord extends TradeInput {
  readonly id: number;
}

/** What the live loop needs to resume after a restart (operations.md §3.6–3.7). */
export interface CheckpointInput {
  readonly time: UtcMillis;
  readonly cycleCount: number;
  /** Cash plus the marked value of open positions. */
  readonly portfolioValue: Money;
  readonly cash: Money;
  /** `portfolioValue − cash`. */
  readonly positionsValue: Money;
  /** Number of open positions at checkpoint time. */
  readonly openPositions: number;
  /** Configured symbols, in config order. */
  readonly symbols: readonly string[];
  /** Drawdown from the peak as a fraction (0.1 = 10 %). */
  readonly drawdown: Money;
  readonly consecutiveLosses: number;
  readonly paperMode: boolean;
  /** {@link configHash} of the configuration the engine ran with. */
  readonly configHash: string;
  readonly metadata: JsonObject;
}

/** A saved checkpoint: its input plus the id the store gave it (ids grow; the latest has the highest). */
export interface CheckpointRecord extends CheckpointInput {
  readonly id: number;
}

/** One entry of the append-only journal. Every write of the store appends one in the same transaction. */
export interface JournalEntry {
  /** Position in the journal, from 1, without gaps except where a transaction rolled back. */
  readonly seq: number;
  /** The store's clock when the entry was written: metadata only, never used for trading decisions. */
  readonly at: UtcMillis;
  /** What happened, e.g. `position.saved`, `fill.recorded`, or a caller's own type. */
  readonly type: string;
  readonly payload: JsonValue;
}
