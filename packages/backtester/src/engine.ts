import { type CandleSeries, Money, type Side, Timeframe } from "@tradeloom/types";
import {
  type BarQuote,
  ExecutionEngine,
  type ExecutionCosts,
  type ExecutionOutcome,
  type ExitReason,
  type FillModel,
  Order,
  OrderBook,
  type OrderRequest,
  Orders,
  type Position,
  type Trade,
} from "@tradeloom/oms";
import { RiskManager, type RiskLimits } from "@tradeloom/risk";
import type { BarWindow, OpenOrderView, Strategy, StrategyContext } from "@tradeloom/strategies";
import type { AlignedData } from "./align";

/** Everything the bar loop needs; data already aligned. */
export interface EngineInput {
  readonly data: AlignedData;
  readonly timeframe: Timeframe;
  readonly initialCapital: number;
  readonly costs: ExecutionCosts;
  readonly fillModel: FillModel;
  readonly risk: RiskLimits;
  /** One strategy instance per symbol. */
  readonly createStrategy: (symbol: string) => Strategy;
  /** Candles per strategy window (the reference model's 300). */
  readonly windowSize?: number;
}

/** An order the engine refused or dropped, and why. */
export interface RejectedOrder {
  readonly time: number;
  readonly symbol: string;
  readonly side: Side;
  readonly clientId: string | undefined;
  readonly reason: string;
}

/** Entry requests the risk rules dropped, by reason (counted, not listed: a halted strategy may ask every bar). */
export interface DroppedEntries {
  /** Drawdown at or beyond `max_drawdown`. */
  halted: number;
  /** Open positions plus symbols with pending entries reached `max_positions`. */
  maxPositions: number;
  /** The sizing chain gave zero (score 0, no stop distance, caps exhausted by earlier entries). */
  zeroSize: number;
}

/** What the bar loop produced; metrics are computed from it. */
export interface EngineOutput {
  readonly trades: readonly Trade[];
  readonly equityTime: Float64Array;
  readonly equity: Float64Array;
  readonly finalCash: Money;
  readonly feesPaid: Money;
  /** Notional of every sell fill (the base of TDS). */
  readonly sellNotional: number;
  readonly ambiguousBars: number;
  readonly rejected: readonly RejectedOrder[];
  readonly droppedEntries: Readonly<DroppedEntries>;
  readonly fills: number;
}

const PROTECTIVE = new Set(["stop", "target"]);

class Window implements BarWindow {
  series: CandleSeries;
  start = 0;
  end = -1;
  constructor(series: CandleSeries) {
    this.series = series;
  }
}

class Context implements StrategyContext {
  symbol: string;
  time = 0;
  window: Window;
  timeframes: Map<string, Window> | undefined;
  position: Position | undefined = undefined;
  openOrders: readonly OpenOrderView[] = [];
  cash = 0;
  equity = 0;
  peakEquity = 0;
  constructor(symbol: string, window: Window, timeframes: Map<string, Window> | undefined) {
    this.symbol = symbol;
    this.window = window;
    this.timeframes = timeframes;
  }
}

interface EntryMeta {
  readonly risk: number;
  readonly notional: number;
  readonly stop: number;
  readonly target: number;
  resting: boolean;
}

class SymbolState {
  readonly symbol: string;
  readonly series: CandleSeries;
  readonly strategy: Strategy;
  readonly book: OrderBook;
  readonly window: Window;
  readonly ctx: Context;
  readonly extra: { readonly series: CandleSeries; readonly window: Window; readonly durationMs: number }[] = [];
  readonly bar: BarQuote = { open: 0, high: 0, low: 0, close: 0, time: 0 };
  idx = -1;
  has = false;
  lastClose = 0;
  qtySigned = 0;
  stop = Number.NaN;
  target = Number.NaN;
  openRisk = 0;
  /** Resting entry orders and their committed risk and notional (kept incrementally: asked on every entry). */
  pendingEntries = 0;
  pendingRisk = 0;
  pendingNotional = 0;
  viewsDirty = true;

  constructor(symbol: string, series: CandleSeries, strategy: Strategy, timeframes: Map<string, Window> | undefined) {
    this.symbol = symbol;
    this.series = series;
    this.strategy = strategy;
    this.book = new OrderBook(symbol);
    this.window = new Window(series);
    this.ctx = new Context(symbol, this.window, timeframes);
  }
}

/**
 * The bar loop. Per timestamp: (1) resting orders meet the bar, protective exits queued for the open first;
 * (2) per symbol in name order: protective levels, trailing stop and exit test, then the strategy's decision and its
 * orders; (3) the bar's equity point, after this bar's fills. At the end every position is liquidated through the
 * normal fill path.
 *
 * Per bar it does number arithmetic only; exact decimals appear only when something fills.
 */
export function runEngine(input: EngineInput): EngineOutput {
  const { data, fillModel } = input;
  const windowSize = input.windowSize ?? 300;
  const ledger = new ExecutionEngine(Money.of(input.initialCapital), input.costs);
  const risk = new RiskManager(input.initialCapital, input.risk);
  const T = data.timeline.length;
  const equity = new Float64Array(T);
  const trades: Trade[] = [];
  const rejected: RejectedOrder[] = [];
  const entryMeta = new Map<number, EntryMeta>();
  let nextId = 1;
  let peak = input.initialCapital;
  let ambiguousBars = 0;
  let sellNotional = 0;
  let fills = 0;
  const dropped: DroppedEntries = { halted: 0, maxPositions: 0, zeroSize: 0 };

  const states = data.symbols.map((s) => {
    const strategy = input.createStrategy(s.symbol);
    const wanted = strategy.requiredTimeframes?.() ?? [];
    let tfs: Map<string, Window> | undefined;
    const extra: SymbolState["extra"] = [];
    if (wanted.length > 0) {
      tfs = new Map();
      for (const tf of wanted) {
        const ser = s.extra?.get(tf);
        if (!ser) continue;
        const w = new Window(ser);
        tfs.set(tf, w);
        extra.push({ series: ser, window: w, durationMs: Timeframe.parse(tf).durationMs });
      }
    }
    const st = new SymbolState(s.symbol, s.primary, strategy, tfs);
    st.extra.push(...extra);
    return st;
  });

  const record = (st: SymbolState, order: Order | undefined, side: Side, clientId: string | undefined, reason: string) => {
    rejected.push({ time: st.bar.time, symbol: st.symbol, side, clientId, reason });
    if (order && order.isActive) order.transition("cancelled", reason);
  };

  const portfolioEquity = (): number => {
    let eq = ledger.cashNum;
    for (const st of states) eq += st.qtySigned * st.lastClose;
    return eq;
  };

  const orderView = (o: Order): OpenOrderView => ({
    id: o.id,
    side: o.side,
    type: o.type,
    quantity: o.remainingNum,
    limitPrice: Number.isNaN(o.limitPriceNum) ? undefined : o.limitPriceNum,
    stopPrice: Number.isNaN(o.stopPriceNum) ? undefined : o.stopPriceNum,
    clientId: o.clientId,
    reduceOnly: o.reduceOnly,
  });

  // An entry order that stops resting gives back the risk and notional it had committed.
  const retire = (st: SymbolState, o: Order) => {
    const meta = entryMeta.get(o.id);
    if (!meta) return;
    if (meta.resting) {
      st.pendingEntries--;
      st.pendingRisk -= meta.risk;
      st.pendingNotional -= meta.notional;
      if (st.pendingEntries === 0) {
        st.pendingRisk = 0;
        st.pendingNotional = 0;
      }
    }
    entryMeta.delete(o.id);
  };

  const cancelStaleReduceOnly = (st: SymbolState, pos: Position | undefined) => {
    for (const o of st.book.orders()) {
      if (o.isActive && o.reduceOnly && (!pos || pos.side === o.side)) {
        o.transition("cancelled", "position closed");
        st.viewsDirty = true;
        st.strategy.onOrderCancelled?.(orderView(o));
      }
    }
  };

  const afterExecution = (st: SymbolState, order: Order, price: number, out: ExecutionOutcome) => {
    st.viewsDirty = true;
    if (out.kind === "rejected") {
      record(st, undefined, order.side, order.clientId, out.reason);
      retire(st, order);
      return;
    }
    fills++;
    const { fill, effect, trade } = out;
    if (fill.side === "sell") sellNotional += price * fill.quantity.toNumber();
    const after = effect.after;
    if (trade) {
      trades.push(trade);
      risk.recordTrade(trade.netPnl.toNumber());
      st.strategy.onTradeClosed?.(trade);
    }
    if (!after) {
      st.qtySigned = 0;
      st.stop = Number.NaN;
      st.target = Number.NaN;
      st.openRisk = 0;
    } else {
      st.qtySigned = after.side === "buy" ? after.quantity : -after.quantity;
      if (!effect.before || effect.before.side !== after.side) {
        // A new position: its protective levels are fixed now, from the signal (next-open model) or the entry fill.
        const meta = entryMeta.get(order.id);
        if (meta && !Number.isNaN(meta.stop) && effect.before === undefined) {
          st.stop = meta.stop;
          st.target = meta.target;
        } else {
          st.stop = st.strategy.calculateStopLoss(st.window, after.avgEntry, after.side);
          st.target = st.strategy.calculateTakeProfit(st.window, after.avgEntry, after.side);
        }
      }
      st.openRisk = Number.isFinite(st.stop) ? Math.abs(after.avgEntry - st.stop) * after.quantity : 0;
      st.strategy.onOrderFilled?.(fill, after);
    }
    if (!order.isActive) retire(st, order);
    cancelStaleReduceOnly(st, after);
  };

  const execute = (st: SymbolState, order: Order, price: number, maker: boolean, reason: ExitReason) => {
    afterExecution(st, order, price, ledger.execute(order, price, maker, st.bar.time, reason));
  };

  const exitReasonOf = (o: Order): ExitReason => (o.clientId === "stop" ? "stop" : o.clientId === "target" ? "target" : "signal");

  const fillResting = (st: SymbolState, o: Order) => {
    if (!o.isActive) return;
    const tif = o.timeInForce;
    if (tif.kind === "gtd" && st.bar.time > tif.expiresAt) {
      o.transition("expired", "time in force");
      st.viewsDirty = true;
      retire(st, o);
      st.strategy.onOrderCancelled?.(orderView(o));
      return;
    }
    const price = fillModel.restingFillPrice(o, st.bar);
    if (Number.isNaN(price)) {
      if ((tif.kind === "ioc" || tif.kind === "fok") && st.bar.time > o.createdAt) {
        o.transition("cancelled", "time in force");
        st.viewsDirty = true;
        retire(st, o);
        st.strategy.onOrderCancelled?.(orderView(o));
      }
      return;
    }
    execute(st, o, price, fillModel.lastWasMaker(), exitReasonOf(o));
  };

  const openOrPendingCount = (): number => {
    let n = 0;
    for (const st of states) if (st.qtySigned !== 0 || st.pendingEntries > 0) n++;
    return n;
  };

  const heat = (): number => {
    let h = 0;
    for (const st of states) h += st.openRisk + st.pendingRisk;
    return h;
  };

  const submit = (st: SymbolState, req: OrderRequest, wasFlat: boolean) => {
    const price = st.bar.close;
    let order: Order;
    if (wasFlat) {
      if (risk.halted) {
        dropped.halted++;
        return;
      }
      if (st.pendingEntries === 0 && st.qtySigned === 0 && !risk.canOpen(openOrPendingCount())) {
        dropped.maxPositions++;
        return;
      }
      const score = st.strategy.getRegimeScore?.(st.window) ?? 1;
      const stop = st.strategy.calculateStopLoss(st.window, price, req.side);
      const size = risk.size({ price, stop, score, heat: heat(), committedNotional: st.pendingNotional });
      const qty = size > 0 && Number.isFinite(size) ? ledger.roundQuantity(Money.of(size)) : Money.ZERO;
      if (!qty.isPositive()) {
        dropped.zeroSize++;
        return;
      }
      order = new Order({ id: nextId++, symbol: st.symbol, request: req, quantity: qty, createdAt: st.bar.time, isEntry: true });
      const q = qty.toNumber();
      // Under next-open execution the protective levels come from the signal bar (the reference's model);
      // under intra-candle execution they are computed from the actual entry fill.
      const atSignal = !fillModel.marketAtClose;
      entryMeta.set(order.id, {
        risk: q * Math.abs(price - stop),
        notional: q * (req.limitPrice ?? req.stopPrice ?? price),
        stop: atSignal ? stop : Number.NaN,
        target: atSignal ? st.strategy.calculateTakeProfit(st.window, price, req.side) : Number.NaN,
        resting: false,
      });
    } else {
      const pos = st.ctx.position!;
      const closing = req.side !== pos.side;
      let qty: Money;
      // A strategy closing "the whole position" passes its quantity as a number: take the exact one, leave no dust.
      if (closing && Math.abs(req.quantity - pos.quantity) <= 1e-9 * pos.quantity) qty = pos.quantityExact;
      else if (req.quantity > 0 && Number.isFinite(req.quantity)) qty = Money.of(req.quantity);
      else return record(st, undefined, req.side, req.clientId, `invalid quantity ${req.quantity}`);
      order = new Order({ id: nextId++, symbol: st.symbol, request: closing && !req.reduceOnly ? Orders.reduceOnly(req) : req, quantity: qty, createdAt: st.bar.time });
    }
    if (req.type === "market" && fillModel.marketAtClose) {
      execute(st, order, fillModel.closePrice(req.side, st.bar), false, "signal");
    } else {
      st.book.insert(order);
      st.viewsDirty = true;
      const meta = entryMeta.get(order.id);
      if (meta) {
        meta.resting = true;
        st.pendingEntries++;
        st.pendingRisk += meta.risk;
        st.pendingNotional += meta.notional;
      }
    }
  };

  for (let b = 0; b < T; b++) {
    const t = data.timeline[b]!;
    for (const st of states) {
      const i = st.idx + 1;
      st.has = i < st.series.length && st.series.time[i] === t;
      if (!st.has) continue;
      st.idx = i;
      const bar = st.bar;
      bar.time = t;
      bar.open = st.series.open[i]!;
      bar.high = st.series.high[i]!;
      bar.low = st.series.low[i]!;
      bar.close = st.series.close[i]!;
      st.lastClose = bar.close;
      st.window.end = i;
      st.window.start = i - windowSize + 1 > 0 ? i - windowSize + 1 : 0;
    }

    // Phase 1: resting orders. Exits queued for this open go first, as in the reference.
    for (const st of states) {
      if (!st.has || st.book.size === 0) continue;
      const orders = st.book.orders();
      for (let k = 0; k < orders.length; k++) {
        const o = orders[k]!;
        if (o.reduceOnly && o.clientId !== undefined && PROTECTIVE.has(o.clientId)) fillResting(st, o);
      }
      for (let k = 0; k < orders.length; k++) fillResting(st, orders[k]!);
      if (st.book.prune() > 0) st.viewsDirty = true;
    }

    // Phase 2: per symbol, protective exits, then the strategy.
    for (const st of states) {
      if (!st.has) continue;
      const pos = ledger.positions.get(st.symbol);
      const bar = st.bar;
      if (pos) {
        if (st.strategy.updateTrailingStop) {
          const tr = st.strategy.updateTrailingStop(pos, bar.close, st.window);
          // Trailing only tightens: up for a long, down for a short.
          if (tr !== undefined && Number.isFinite(tr) && (Number.isNaN(st.stop) || (pos.side === "buy" ? tr > st.stop : tr < st.stop))) {
            st.stop = tr;
            st.openRisk = Math.abs(pos.avgEntry - tr) * pos.quantity;
          }
        }
        if (bar.low <= st.stop && st.stop <= bar.high && bar.low <= st.target && st.target <= bar.high) ambiguousBars++;
        const trig = fillModel.exitTrigger(pos.side, st.stop, st.target, bar);
        if (trig !== 0) {
          const reason: ExitReason = trig === 2 ? "target" : "stop";
          const side: Side = pos.side === "buy" ? "sell" : "buy";
          const req = Orders.reduceOnly(Orders.withClientId(side === "buy" ? Orders.marketBuy(pos.quantity) : Orders.marketSell(pos.quantity), reason));
          if (fillModel.marketAtClose) {
            const order = new Order({ id: nextId++, symbol: st.symbol, request: req, quantity: pos.quantityExact, createdAt: bar.time });
            execute(st, order, fillModel.exitPrice(pos.side, trig, st.stop, st.target, bar), false, reason);
          } else if (!st.book.orders().some((o) => o.isActive && o.reduceOnly && o.clientId !== undefined && PROTECTIVE.has(o.clientId))) {
            st.book.insert(new Order({ id: nextId++, symbol: st.symbol, request: req, quantity: pos.quantityExact, createdAt: bar.time }));
            st.viewsDirty = true;
          }
          continue;
        }
      }
      const ctx = st.ctx;
      ctx.time = bar.time;
      ctx.position = pos;
      if (st.viewsDirty) {
        ctx.openOrders = st.book.orders().filter((o) => o.isActive).map(orderView);
        st.viewsDirty = false;
      }
      ctx.cash = ledger.cashNum;
      ctx.equity = portfolioEquity();
      ctx.peakEquity = peak;
      for (const x of st.extra) {
        // Only candles that have closed by the end of this bar are visible: no look-ahead.
        x.window.end = x.series.lastIndexAtOrBefore(bar.time + input.timeframe.durationMs - x.durationMs);
        x.window.start = Math.max(0, x.window.end - windowSize + 1);
      }
      st.strategy.onBar?.(ctx);
      const reqs = st.strategy.generateOrders(ctx);
      for (let k = 0; k < reqs.length; k++) submit(st, reqs[k]!, pos === undefined);
    }

    // Phase 3: the bar's equity, after its fills.
    const eq = portfolioEquity();
    equity[b] = eq;
    risk.updateCapital(eq);
    if (eq > peak) peak = eq;
  }

  // End of data: cancel what rests, liquidate through the normal fill path at each symbol's last close.
  for (const st of states) {
    for (const o of st.book.orders()) {
      if (!o.isActive) continue;
      o.transition("cancelled", "end of data");
      retire(st, o);
    }
    st.book.prune();
    const pos = ledger.positions.get(st.symbol);
    if (!pos || st.idx < 0) continue;
    const side: Side = pos.side === "buy" ? "sell" : "buy";
    const req = Orders.reduceOnly(side === "buy" ? Orders.marketBuy(pos.quantity) : Orders.marketSell(pos.quantity));
    const order = new Order({ id: nextId++, symbol: st.symbol, request: req, quantity: pos.quantityExact, createdAt: st.bar.time });
    execute(st, order, fillModel.closePrice(side, st.bar), false, "end_of_data");
  }
  if (T > 0) equity[T - 1] = portfolioEquity();

  return {
    trades,
    equityTime: data.timeline,
    equity,
    finalCash: ledger.cash,
    feesPaid: ledger.feesPaid,
    sellNotional,
    ambiguousBars,
    rejected,
    droppedEntries: dropped,
    fills,
  };
}
