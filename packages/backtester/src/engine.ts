import { type CandleSeries, Money, type Side, Timeframe } from "@tradeloom/types";
import {
  type BarQuote,
  ExecutionEngine,
  type ExecutionCosts,
  type ExecutionOutcome,
  type ExitReason,
  type Explanation,
  type FillModel,
  Order,
  OrderBook,
  type OrderRequest,
  Orders,
  GTC,
  type Position,
  type Trade,
} from "@tradeloom/oms";
import { RiskManager, type RiskLimits } from "@tradeloom/risk";
import { type BarWindow, type OpenOrderView, SortedLimits, type Strategy, type StrategyContext } from "@tradeloom/strategies";
import type { AlignedData } from "./align";
import { type RejectedOrder, Rejections } from "./rejections";
import { TradeLog } from "./trade-log";

export type { RejectedOrder } from "./rejections";

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
  /**
   * Trading starts at the first timestamp at or after this (UTC ms). Earlier bars only warm up: they fill the
   * strategy's windows, but no order is placed and no equity is recorded for them.
   */
  readonly tradeFrom?: number;
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
  /** Realised trades in the order they closed (built as objects on first read). */
  readonly trades: readonly Trade[];
  /** Net P&L of each trade as a number, in the same order (what metrics read; no trade object is built for it). */
  readonly tradeNetPnl: Float64Array;
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
const SIZED_OUT_BUY = 1;
const SIZED_OUT_SELL = 2;

class Window implements BarWindow {
  series: CandleSeries;
  start = 0;
  end = -1;
  /** Historical candles are all final: indicator feeds may compute ahead (see {@link BarWindow.final}). */
  readonly final: number;
  constructor(series: CandleSeries) {
    this.series = series;
    this.final = series.length - 1;
  }
}

class Context implements StrategyContext {
  symbol: string;
  time = 0;
  window: Window;
  timeframes: Map<string, Window> | undefined;
  position: Position | undefined = undefined;
  openOrders: readonly OpenOrderView[] = [];
  readonly restingLimits = new SortedLimits();
  cash = 0;
  equity = 0;
  peakEquity = 0;
  /** Answers {@link StrategyContext.entriesOpen} for the current call; set by the loop when it builds the context. */
  entryCheck: (() => boolean) | undefined = undefined;
  /** The answer of this call, once asked: 1 open, 0 closed, −1 not asked yet. */
  entriesOpenNow = -1;
  constructor(symbol: string, window: Window, timeframes: Map<string, Window> | undefined) {
    this.symbol = symbol;
    this.window = window;
    this.timeframes = timeframes;
  }

  // Computed on first read: the drop checks sum every symbol's heat, and most strategies never ask.
  get entriesOpen(): boolean {
    if (this.entriesOpenNow < 0) this.entriesOpenNow = this.position !== undefined || this.entryCheck === undefined || this.entryCheck() ? 1 : 0;
    return this.entriesOpenNow === 1;
  }
}

/**
 * An entry order resting in the book: what it commits to the symbol's pending risk and notional, and the protective
 * levels taken from its signal bar (NaN when they come from the fill instead). An entry filled when submitted has none.
 */
interface EntryMeta {
  /** The entry order's id. */
  readonly id: number;
  readonly risk: number;
  readonly notional: number;
  readonly stop: number;
  readonly target: number;
}

class SymbolState {
  readonly symbol: string;
  readonly series: CandleSeries;
  readonly strategy: Strategy;
  readonly book: OrderBook;
  readonly window: Window;
  readonly ctx: Context;
  readonly extra: { readonly series: CandleSeries; readonly window: Window; readonly durationMs: number }[] = [];
  /** The current candle; its open, high and low are filled in by {@link SymbolState.quote} when first needed. */
  readonly bar: BarQuote = { open: 0, high: 0, low: 0, close: 0, time: 0 };
  barComplete = false;
  idx = -1;
  has = false;
  lastClose = 0;
  qtySigned = 0;
  /** The ledger's open position of this symbol (kept here: the ledger's map is asked on every bar otherwise). */
  position: Position | undefined = undefined;
  stop = Number.NaN;
  target = Number.NaN;
  openRisk = 0;
  /** Resting entry orders and their committed risk and notional (kept incrementally: asked on every entry). */
  pendingEntries = 0;
  /** A protective exit waits in the book for the next open (next-open model). */
  queuedExit = false;
  /**
   * Sides (bit 1 buy, bit 2 sell) whose entries sized to zero in the current call of the strategy. Every entry of a
   * call is sized at the same close, stop and score, and accepting one only adds heat and committed notional, so the
   * later entries of that side size to zero too: they are dropped without asking the strategy for a stop again (a
   * grid asks for ≈ 55,000 such entries in a 1 h backtest).
   */
  sizedOut = 0;
  pendingRisk = 0;
  pendingNotional = 0;
  /**
   * Entry orders still holding what they were sized with, in no order (a handful; a grid's dozens): a list, because a
   * map keyed by order id would grow and shrink its table on every entry.
   */
  readonly entries: EntryMeta[] = [];
  viewsDirty = true;
  /** The views handed to the strategy, and the array they are rebuilt into next time (double-buffered). */
  views: OpenOrderView[] = [];
  spareViews: OpenOrderView[] = [];

  constructor(symbol: string, series: CandleSeries, strategy: Strategy, timeframes: Map<string, Window> | undefined) {
    this.symbol = symbol;
    this.series = series;
    this.strategy = strategy;
    this.book = new OrderBook(symbol);
    this.window = new Window(series);
    this.ctx = new Context(symbol, this.window, timeframes);
  }

  /** The sizing data of entry order `id`, while it has any. */
  entry(id: number): EntryMeta | undefined {
    const entries = this.entries;
    for (let k = entries.length - 1; k >= 0; k--) if (entries[k]!.id === id) return entries[k];
    return undefined;
  }

  /** Forgets `meta` (the order filled or stopped resting). */
  forgetEntry(meta: EntryMeta): void {
    const entries = this.entries;
    const k = entries.lastIndexOf(meta);
    if (k < 0) return;
    const last = entries.pop()!;
    if (k < entries.length) entries[k] = last;
  }

  /**
   * The current candle, whole. Only a position or a resting order needs more than its close, so the bar loop copies
   * the rest on demand: most bars of most symbols have neither.
   */
  quote(): BarQuote {
    const bar = this.bar;
    if (!this.barComplete) {
      const i = this.idx;
      bar.open = this.series.open[i]!;
      bar.high = this.series.high[i]!;
      bar.low = this.series.low[i]!;
      this.barComplete = true;
    }
    return bar;
  }

  /**
   * Views of the active resting orders, in id order. A grid keeps ~100 orders resting and changes a few per bar, so
   * views of unchanged orders are carried over (both lists are in id order) instead of being rebuilt, and the limit
   * prices of the orders that stopped resting are taken out of the sorted limits rather than re-sorting them all.
   */
  refreshViews(): readonly OpenOrderView[] {
    const orders = this.book.orders();
    const old = this.views;
    const out = this.spareViews;
    const limits = this.ctx.restingLimits;
    // Written over in place and cut to length at the end: emptying an array with `length = 0` frees its storage, and
    // refilling it would then allocate again at every growth step.
    let n = 0;
    let j = 0;
    for (let k = 0; k < orders.length; k++) {
      const o = orders[k]!;
      if (!o.isActive) continue;
      for (; j < old.length && old[j]!.id < o.id; j++) dropLimit(limits, old[j]!);
      const prev = old[j];
      if (prev !== undefined && prev.id === o.id) {
        out[n++] = prev.quantity === o.remainingNum ? prev : orderView(o);
        j++;
      } else out[n++] = orderView(o);
    }
    out.length = n;
    for (; j < old.length; j++) dropLimit(limits, old[j]!);
    this.spareViews = old;
    this.views = out;
    return out;
  }
}

function dropLimit(limits: SortedLimits, view: OpenOrderView): void {
  if (view.limitPrice !== undefined) limits.remove(view.side, view.limitPrice);
}

/**
 * {@link EngineOutput} whose `trades` and `rejected` are built on first read. They are own enumerable getters, as in an
 * object literal (`JSON.stringify`, spreading and `Object.keys` see them), but every output shares the same getter
 * functions.
 *
 * Why not `{ get trades() { … } }`: each evaluation of such a literal creates new getter closures, so V8 gave every
 * output a hidden class of its own, linked from the literal's first one by a map transition. The young-generation
 * collector treats those links as strong, so each run's closures, their scope and through it everything the run built
 * (orders, refusals, trade chunks, the strategies) survived every scavenge, was promoted, and was freed only by a full
 * collection: 2,000 quick_flip 1 d backtests promoted 30 MB instead of 13 MB, with twice the time in scavenges.
 */
class RunOutput implements EngineOutput {
  declare readonly trades: readonly Trade[];
  declare readonly tradeNetPnl: Float64Array;
  declare readonly equityTime: Float64Array;
  declare readonly equity: Float64Array;
  declare readonly finalCash: Money;
  declare readonly feesPaid: Money;
  declare readonly sellNotional: number;
  declare readonly ambiguousBars: number;
  declare readonly rejected: readonly RejectedOrder[];
  declare readonly droppedEntries: Readonly<DroppedEntries>;
  declare readonly fills: number;
  readonly #trades: TradeLog;
  readonly #rejections: Rejections;

  static readonly #tradesGetter: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: RunOutput) {
      return this.#trades.list();
    },
  };

  static readonly #rejectedGetter: PropertyDescriptor = {
    enumerable: true,
    configurable: true,
    get(this: RunOutput) {
      return this.#rejections.list();
    },
  };

  constructor(loop: BarLoop) {
    const timeline = loop.input.data.timeline;
    this.#trades = loop.trades;
    this.#rejections = loop.rejections;
    // Assigned in the order a literal would list them: the order of Object.keys and JSON.
    Object.defineProperty(this, "trades", RunOutput.#tradesGetter);
    this.tradeNetPnl = loop.trades.netPnl;
    this.equityTime = loop.firstBar > 0 ? timeline.subarray(loop.firstBar) : timeline;
    this.equity = loop.equity;
    this.finalCash = loop.ledger.cash;
    this.feesPaid = loop.ledger.feesPaid;
    this.sellNotional = loop.sellNotional;
    this.ambiguousBars = loop.ambiguousBars;
    Object.defineProperty(this, "rejected", RunOutput.#rejectedGetter);
    this.droppedEntries = loop.dropped;
    this.fills = loop.fills;
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
  return new BarLoop(input).run();
}

// A class rather than one function with closures: small monomorphic methods that V8 optimises and inlines.
class BarLoop {
  readonly input: EngineInput;
  readonly fillModel: FillModel;
  /** The fill model fills resting limits only when a bar reaches them: unreachable books are skipped. */
  readonly touchOnly: boolean;
  readonly windowSize: number;
  readonly ledger: ExecutionEngine;
  readonly risk: RiskManager;
  readonly states: SymbolState[];
  readonly equity: Float64Array;
  readonly trades = new TradeLog();
  readonly rejections: Rejections;
  readonly dropped: DroppedEntries = { halted: 0, maxPositions: 0, zeroSize: 0 };
  nextId = 1;
  /** Index of the first traded bar (bars before it only warm up). */
  readonly firstBar: number;
  // Number fields start as numbers: a field first defined as undefined is kept tagged by V8, and every double
  // stored into it then allocates (these are written on every bar).
  peak = 0;
  ambiguousBars = 0;
  sellNotional = 0;
  equityStale = true;
  /** Cash plus every position at its latest close, as of the last {@link BarLoop.refreshEquity}. */
  equityNow = 0;
  fills = 0;
  /**
   * Symbols whose book holds orders (resting, or done and not yet pruned). While none does, which is every bar of a
   * strategy trading market orders at the close, the bar loop skips its pass over the books.
   */
  booksInUse = 0;

  constructor(input: EngineInput) {
    this.input = input;
    this.fillModel = input.fillModel;
    this.touchOnly = input.fillModel.limitsFillOnTouch === true;
    this.windowSize = input.windowSize ?? 300;
    this.ledger = new ExecutionEngine(Money.of(input.initialCapital), input.costs);
    this.rejections = new Rejections(this.ledger);
    this.risk = new RiskManager(input.initialCapital, input.risk);
    const tl = input.data.timeline;
    let first = 0;
    if (input.tradeFrom !== undefined) while (first < tl.length && tl[first]! < input.tradeFrom) first++;
    this.firstBar = first;
    this.equity = new Float64Array(tl.length - first);
    this.peak = input.initialCapital;
    // A loop, not `symbols.map`: once V8 optimises this constructor, its inlined `map` makes a holey array where the
    // builtin made a packed one, and every bar-loop method compiled for the first deoptimises on the next run (8
    // recompilations per isolate: warm-up each optimizer worker pays).
    const states: SymbolState[] = [];
    for (const s of input.data.symbols) {
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
      st.ctx.entryCheck = () => this.entryBlock(st) === undefined;
      states.push(st);
    }
    this.states = states;
  }

  run(): EngineOutput {
    const timeline = this.input.data.timeline;
    const states = this.states;
    const n = states.length;
    for (let b = 0; b < this.firstBar; b++) for (let k = 0; k < n; k++) this.advance(states[k]!, timeline[b]!);
    for (let b = this.firstBar; b < timeline.length; b++) {
      const t = timeline[b]!;
      for (let k = 0; k < n; k++) this.advance(states[k]!, t);
      this.equityStale = true;
      if (this.booksInUse > 0) {
        for (let k = 0; k < n; k++) {
          const st = states[k]!;
          if (st.has && st.book.size > 0 && (st.queuedExit || !this.touchOnly || this.reaches(st))) this.phase1(st);
        }
      }
      for (let k = 0; k < n; k++) {
        const st = states[k]!;
        if (st.has) this.phase2(st);
      }
      this.refreshEquity();
      const eq = this.equityNow;
      this.equity[b - this.firstBar] = eq;
      this.risk.updateCapital(eq);
      if (eq > this.peak) this.peak = eq;
    }
    this.finish();
    for (const st of this.states) st.strategy.dispose?.();
    return new RunOutput(this);
  }

  /** Moves a symbol's cursor to timestamp `t`, if it has a candle there. */
  advance(st: SymbolState, t: number): void {
    const i = st.idx + 1;
    const series = st.series;
    st.has = i < series.length && series.time[i] === t;
    if (!st.has) return;
    st.idx = i;
    const bar = st.bar;
    bar.time = t;
    bar.close = series.close[i]!;
    st.barComplete = false;
    st.lastClose = bar.close;
    st.window.end = i;
    st.window.start = i - this.windowSize + 1 > 0 ? i - this.windowSize + 1 : 0;
  }

  /** Whether the current candle's range reaches a resting order's trigger price. */
  reaches(st: SymbolState): boolean {
    const bar = st.quote();
    return st.book.reachable(bar.low, bar.high);
  }

  /** Resting orders meet the bar. Exits queued for this open go first, as in the reference. */
  phase1(st: SymbolState): void {
    const orders = st.book.orders();
    if (st.queuedExit) {
      st.queuedExit = false;
      for (let k = 0; k < orders.length; k++) {
        const o = orders[k]!;
        if (o.reduceOnly && o.clientId !== undefined && PROTECTIVE.has(o.clientId)) this.fillResting(st, o);
      }
    }
    for (let k = 0; k < orders.length; k++) this.fillResting(st, orders[k]!);
    if (st.book.prune() > 0) {
      st.viewsDirty = true;
      if (st.book.size === 0) this.booksInUse--;
    }
  }

  /** Protective levels and exits, then the strategy. */
  phase2(st: SymbolState): void {
    const pos = st.position;
    const bar = st.bar;
    if (pos && this.protect(st, pos)) return;
    const ctx = st.ctx;
    ctx.time = bar.time;
    ctx.position = pos;
    if (st.viewsDirty) {
      ctx.openOrders = st.refreshViews();
      st.viewsDirty = false;
    }
    ctx.entriesOpenNow = -1;
    st.sizedOut = 0;
    ctx.cash = this.ledger.cashNum;
    this.refreshEquity();
    ctx.equity = this.equityNow;
    ctx.peakEquity = this.peak;
    // Out of line: most strategies read no other timeframe, and the loop's setup cost them on every bar.
    if (st.extra.length > 0) this.alignExtra(st);
    st.strategy.onBar?.(ctx);
    const reqs = st.strategy.generateOrders(ctx);
    // While the drawdown halts entries, every request of a flat symbol is an entry `submit` would drop as halted (the
    // drawdown moves only between bars). Counted here: a strategy that ignores the halt asks on most bars after it
    // (momentum_scalper ≈ 55,000 times in a 1 h run).
    if (pos === undefined && reqs.length > 0 && this.risk.halted) {
      this.dropped.halted += reqs.length;
      return;
    }
    for (let k = 0; k < reqs.length; k++) this.submit(st, reqs[k]!, pos === undefined);
  }

  /** Moves the windows of a symbol's other timeframes to the candles closed by the end of the current bar. */
  alignExtra(st: SymbolState): void {
    const end = st.bar.time + this.input.timeframe.durationMs;
    for (const x of st.extra) {
      // Only candles that have closed by the end of this bar are visible: no look-ahead.
      x.window.end = x.series.lastIndexAtOrBefore(end - x.durationMs);
      x.window.start = Math.max(0, x.window.end - this.windowSize + 1);
    }
  }

  /** Trailing stop and exit test of an open position; true when an exit fired or was queued. */
  protect(st: SymbolState, pos: Position): boolean {
    const bar = st.quote();
    if (st.strategy.updateTrailingStop) {
      const tr = st.strategy.updateTrailingStop(pos, bar.close, st.window);
      // Trailing only tightens: up for a long, down for a short.
      if (tr !== undefined && Number.isFinite(tr) && (Number.isNaN(st.stop) || (pos.side === "buy" ? tr > st.stop : tr < st.stop))) {
        st.stop = tr;
        st.openRisk = Math.abs(pos.avgEntry - tr) * pos.quantity;
      }
    }
    if (bar.low <= st.stop && st.stop <= bar.high && bar.low <= st.target && st.target <= bar.high) this.ambiguousBars++;
    const trig = this.fillModel.exitTrigger(pos.side, st.stop, st.target, bar);
    if (trig === 0) return false;
    const reason: ExitReason = trig === 2 ? "target" : "stop";
    const side: Side = pos.side === "buy" ? "sell" : "buy";
    // One literal rather than three frozen copies through Orders.*: this runs on every protective exit.
    const req: OrderRequest = { side, type: "market", quantity: pos.quantity, timeInForce: GTC, clientId: reason, reduceOnly: true };
    if (this.fillModel.marketAtClose) {
      const order = new Order({ id: this.nextId++, symbol: st.symbol, request: req, quantity: pos.quantityExact, createdAt: bar.time });
      this.execute(st, order, this.fillModel.exitPrice(pos.side, trig, st.stop, st.target, bar), false, reason);
    } else if (!st.book.orders().some((o) => o.isActive && o.reduceOnly && o.clientId !== undefined && PROTECTIVE.has(o.clientId))) {
      this.rest(st, new Order({ id: this.nextId++, symbol: st.symbol, request: req, quantity: pos.quantityExact, createdAt: bar.time }));
      st.queuedExit = true;
    }
    return true;
  }

  /**
   * Brings {@link BarLoop.equityNow} (cash plus every position at its latest close) up to date; it stays cached until
   * a bar moves the closes or a fill moves cash. Callers read the field: a double returned from a call V8 does not
   * inline is boxed on the heap, and this runs on every bar of every symbol.
   */
  refreshEquity(): void {
    if (!this.equityStale) return;
    this.equityStale = false;
    let eq = this.ledger.cashNum;
    const states = this.states;
    for (let k = 0; k < states.length; k++) {
      const st = states[k]!;
      eq += st.qtySigned * st.lastClose;
    }
    this.equityNow = eq;
  }

  openOrPendingCount(): number {
    let n = 0;
    for (const st of this.states) if (st.qtySigned !== 0 || st.pendingEntries > 0) n++;
    return n;
  }

  heat(): number {
    let h = 0;
    for (const st of this.states) h += st.openRisk + st.pendingRisk;
    return h;
  }

  record(st: SymbolState, side: Side, clientId: string | undefined, why: string | Explanation): void {
    this.rejections.addGiven(st.bar.time, st.symbol, side, clientId, why);
  }

  /** An entry order that stops resting gives back the risk and notional it had committed. */
  retire(st: SymbolState, o: Order): void {
    const meta = st.entry(o.id);
    if (!meta) return;
    st.pendingEntries--;
    st.pendingRisk -= meta.risk;
    st.pendingNotional -= meta.notional;
    if (st.pendingEntries === 0) {
      st.pendingRisk = 0;
      st.pendingNotional = 0;
    }
    st.forgetEntry(meta);
  }

  cancelStaleReduceOnly(st: SymbolState, pos: Position | undefined): void {
    for (const o of st.book.orders()) {
      if (o.isActive && o.reduceOnly && (!pos || pos.side === o.side)) {
        o.transition("cancelled", "position closed");
        st.viewsDirty = true;
        st.strategy.onOrderCancelled?.(orderView(o));
      }
    }
  }

  execute(st: SymbolState, order: Order, price: number, maker: boolean, reason: ExitReason): void {
    const out = this.ledger.execute(order, price, maker, st.bar.time, reason);
    if (out.kind === "rejected") {
      // The outcome itself, not its text: the ledger writes a refusal's message only when someone reads it.
      this.record(st, order.side, order.clientId, out);
      this.retire(st, order);
      return;
    }
    this.afterFill(st, order, price, out);
  }

  afterFill(st: SymbolState, order: Order, price: number, out: Extract<ExecutionOutcome, { kind: "filled" }>): void {
    this.fills++;
    this.equityStale = true;
    const { fill, effect, trade } = out;
    if (fill.side === "sell") this.sellNotional += price * fill.quantity.toNumber();
    const after = effect.after;
    st.position = after;
    if (trade) {
      const net = trade.netPnl.toNumber();
      this.trades.add(trade, effect.realization!, net);
      this.risk.recordTrade(net);
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
        const meta = st.entry(order.id);
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
    if (!order.isActive) this.retire(st, order);
    this.cancelStaleReduceOnly(st, after);
  }

  fillResting(st: SymbolState, o: Order): void {
    if (!o.isActive) return;
    const tif = o.timeInForce;
    if (tif.kind === "gtd" && st.bar.time > tif.expiresAt) {
      this.dropResting(st, o, "expired");
      return;
    }
    const price = this.fillModel.restingFillPrice(o, st.quote());
    if (Number.isNaN(price)) {
      if ((tif.kind === "ioc" || tif.kind === "fok") && st.bar.time > o.createdAt) this.dropResting(st, o, "cancelled");
      return;
    }
    st.viewsDirty = true;
    this.execute(st, o, price, this.fillModel.lastWasMaker(), o.clientId === "stop" ? "stop" : o.clientId === "target" ? "target" : "signal");
  }

  /** Puts an order in the book. Ids increase, so its view goes at the end of the strategy's list: no rebuild. */
  rest(st: SymbolState, order: Order): void {
    if (st.book.size === 0) this.booksInUse++;
    st.book.insert(order);
    st.views.push(orderView(order));
    if (!Number.isNaN(order.limitPriceNum)) st.ctx.restingLimits.add(order.side, order.limitPriceNum);
  }

  dropResting(st: SymbolState, o: Order, state: "expired" | "cancelled"): void {
    o.transition(state, "time in force");
    st.viewsDirty = true;
    this.retire(st, o);
    st.strategy.onOrderCancelled?.(orderView(o));
  }

  /**
   * Why an entry request for this flat symbol would be dropped now, before its score and stop are asked for, or
   * undefined when it may go on to sizing. Accepting an entry only adds to the counts and caps tested here, so an
   * answer holds for every entry request a strategy makes in one call: the context tells the strategy
   * (`entriesOpen`), and a grid then builds no entries the engine would drop.
   */
  entryBlock(st: SymbolState): keyof DroppedEntries | undefined {
    if (this.risk.halted) return "halted";
    if (st.pendingEntries === 0 && st.qtySigned === 0 && !this.risk.canOpen(this.openOrPendingCount())) return "maxPositions";
    // Earlier pending entries already use the symbol's notional cap or the portfolio heat: sizing can only give zero.
    const capital = this.risk.capital;
    if (st.pendingNotional >= capital * this.risk.limits.maxPositionPct || this.heat() >= capital * this.risk.limits.maxPortfolioHeat) return "zeroSize";
    // The entry that filled the cap leaves a rounding residue of room: below half a lot, sizing can only give zero.
    if (this.risk.notionalRoom(st.bar.close, st.pendingNotional) < this.ledger.minQuantity / 2) return "zeroSize";
    return undefined;
  }

  submit(st: SymbolState, req: OrderRequest, wasFlat: boolean): void {
    const price = st.bar.close;
    const fillModel = this.fillModel;
    let order: Order;
    // An entry's size as a number and its stop (NaN: not an entry), for its record if it rests.
    let entryQ = Number.NaN;
    let entryStop = Number.NaN;
    // The fill price of a market order at this close, once worked out (a fill model is asked once per order).
    let closeFill = Number.NaN;
    if (wasFlat) {
      const blocked = this.entryBlock(st);
      if (blocked !== undefined) {
        this.dropped[blocked]++;
        return;
      }
      const side = req.side === "buy" ? SIZED_OUT_BUY : SIZED_OUT_SELL;
      if ((st.sizedOut & side) !== 0) {
        this.dropped.zeroSize++;
        return;
      }
      const heat = this.heat();
      const score = st.strategy.getRegimeScore?.(st.window) ?? 1;
      // A score that is not positive sizes to zero: skip the stop the sizing would not use.
      if (!(score > 0)) {
        this.dropped.zeroSize++;
        st.sizedOut = SIZED_OUT_BUY | SIZED_OUT_SELL;
        return;
      }
      const stop = st.strategy.calculateStopLoss(st.window, price, req.side);
      const size = this.risk.size({ price, stop, score, heat, committedNotional: st.pendingNotional });
      const qty = this.ledger.sizeToQuantity(size);
      if (!qty.isPositive()) {
        this.dropped.zeroSize++;
        st.sizedOut |= side;
        return;
      }
      const q = qty.toNumber();
      if (req.side === "buy" && req.type === "market" && fillModel.marketAtClose) {
        // A buy at this close that cash cannot pay is refused as the ledger would refuse it, without building the
        // order (its id is still taken, so later ids stay as they were).
        closeFill = fillModel.closePrice(req.side, st.quote());
        if (this.ledger.cannotPay(st.symbol, q, closeFill, false)) {
          this.nextId++;
          this.rejections.addCashShortfall(st.bar.time, st.symbol, req.side, req.clientId, closeFill, qty, false, this.ledger.cash);
          return;
        }
      }
      order = new Order({ id: this.nextId++, symbol: st.symbol, request: req, quantity: qty, createdAt: st.bar.time, isEntry: true });
      entryQ = q;
      entryStop = stop;
    } else {
      const pos = st.ctx.position!;
      const closing = req.side !== pos.side;
      let qty: Money;
      // A strategy closing "the whole position" passes its quantity as a number: take the exact one, leave no dust.
      if (closing && Math.abs(req.quantity - pos.quantity) <= 1e-9 * pos.quantity) qty = pos.quantityExact;
      else if (req.quantity > 0 && Number.isFinite(req.quantity)) qty = this.ledger.sizeToQuantity(req.quantity);
      // A JavaScript strategy may pass anything: only a number is kept as one, the rest as its text.
      else if (typeof req.quantity === "number") return this.rejections.addInvalidQuantity(st.bar.time, st.symbol, req.side, req.clientId, req.quantity);
      else return this.record(st, req.side, req.clientId, `invalid quantity ${String(req.quantity)}`);
      if (!qty.isPositive()) return this.rejections.addBelowLotStep(st.bar.time, st.symbol, req.side, req.clientId, req.quantity);
      order = new Order({ id: this.nextId++, symbol: st.symbol, request: closing && !req.reduceOnly ? Orders.reduceOnly(req) : req, quantity: qty, createdAt: st.bar.time });
    }
    if (req.type === "market" && fillModel.marketAtClose) {
      // Filled now, so it commits nothing pending: an entry's levels then come from its fill (`afterFill`).
      this.execute(st, order, Number.isNaN(closeFill) ? fillModel.closePrice(req.side, st.quote()) : closeFill, false, "signal");
      return;
    }
    this.rest(st, order);
    if (Number.isNaN(entryQ)) return;
    // Under next-open execution the protective levels come from the signal bar (the reference's model);
    // under intra-candle execution they are computed from the actual entry fill.
    const atSignal = !fillModel.marketAtClose;
    const meta: EntryMeta = {
      id: order.id,
      risk: entryQ * Math.abs(price - entryStop),
      notional: entryQ * (req.limitPrice ?? req.stopPrice ?? price),
      stop: atSignal ? entryStop : Number.NaN,
      target: atSignal ? st.strategy.calculateTakeProfit(st.window, price, req.side) : Number.NaN,
    };
    st.entries.push(meta);
    st.pendingEntries++;
    st.pendingRisk += meta.risk;
    st.pendingNotional += meta.notional;
  }

  /** End of data: cancel what rests, liquidate through the normal fill path at each symbol's last close. */
  finish(): void {
    for (const st of this.states) {
      for (const o of st.book.orders()) {
        if (!o.isActive) continue;
        o.transition("cancelled", "end of data");
        this.retire(st, o);
      }
      st.book.prune();
      const pos = this.ledger.positions.get(st.symbol);
      if (!pos || st.idx < 0) continue;
      const side: Side = pos.side === "buy" ? "sell" : "buy";
      const req = Orders.reduceOnly(side === "buy" ? Orders.marketBuy(pos.quantity) : Orders.marketSell(pos.quantity));
      const order = new Order({ id: this.nextId++, symbol: st.symbol, request: req, quantity: pos.quantityExact, createdAt: st.bar.time });
      this.execute(st, order, this.fillModel.closePrice(side, st.quote()), false, "end_of_data");
    }
    const T = this.equity.length;
    if (T > 0) {
      this.refreshEquity();
      this.equity[T - 1] = this.equityNow;
    }
  }
}

function orderView(o: Order): OpenOrderView {
  return {
    id: o.id,
    side: o.side,
    type: o.type,
    quantity: o.remainingNum,
    limitPrice: Number.isNaN(o.limitPriceNum) ? undefined : o.limitPriceNum,
    stopPrice: Number.isNaN(o.stopPriceNum) ? undefined : o.stopPriceNum,
    clientId: o.clientId,
    reduceOnly: o.reduceOnly,
  };
}
