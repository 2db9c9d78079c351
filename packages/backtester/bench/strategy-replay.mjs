// The "strategy in the engine" of benchmark 2 (docs/benchmarks.md): every call a backtest made of its strategies,
// recorded once and then replayed into fresh instances, so that the strategy's own work inside a run (its decisions on
// bars in a position, trailing stops, the stop and score of each entry, the fill and trade callbacks) is timed without
// the engine around it. The strategy alone (./strategy-alone.mjs) is always flat and leaves that work out.

/** Methods of the Strategy interface the engine calls during a run, and their codes in a recording. */
const CALLS = ["onBar", "generateOrders", "calculateStopLoss", "calculateTakeProfit", "updateTrailingStop", "getRegimeScore", "onOrderFilled", "onOrderCancelled", "onTradeClosed"];
const [ON_BAR, GENERATE, STOP, TARGET, TRAIL, SCORE, FILLED, CANCELLED, CLOSED] = CALLS.map((_, k) => k);

/**
 * Wraps a strategy factory so that every call the engine makes of its strategies is logged per symbol: the method, the
 * bar (the window's last candle), the position and the other arguments, and what came back (how many requests, which
 * stop). The wrapper has exactly the inner strategy's optional methods, since the engine asks whether they exist.
 *
 * The context's other fields are recorded as each decision call saw them: cash, equity, peak equity, whether entries
 * were open, and the open orders (a copy each time they changed, with their resting limits sorted at recording time,
 * as the engine keeps them).
 *
 * @param SortedLimits - the strategies build's `SortedLimits`, for the resting limits of each copy of the open orders.
 * @returns the factory to pass to `runBacktest`, and `logs()`, which packs what was recorded per symbol.
 */
export function recordingFactory(factory, SortedLimits, windowSize = 300) {
  const raw = new Map();
  const wrapped = (symbol) => {
    const inner = factory(symbol);
    const log = { code: [], end: [], arg: [], side: [], object: [], objects: [], out: [], cash: [], equity: [], peak: [], entriesOpen: [], book: [], books: [], last: undefined };
    raw.set(symbol, log);
    const rec = { name: inner.name };
    for (const [code, method] of CALLS.entries()) {
      if (typeof inner[method] !== "function") continue;
      rec[method] = (...args) => {
        record(log, code, args, windowSize, SortedLimits);
        const out = inner[method](...args);
        log.out.push(code === GENERATE ? out.length : out);
        return out;
      };
    }
    if (typeof inner.requiredTimeframes === "function") rec.requiredTimeframes = () => inner.requiredTimeframes();
    if (typeof inner.dispose === "function") rec.dispose = () => inner.dispose();
    return rec;
  };
  const logs = () =>
    new Map(
      [...raw].map(([symbol, l]) => [
        symbol,
        {
          code: Uint8Array.from(l.code),
          end: Int32Array.from(l.end),
          arg: Float64Array.from(l.arg),
          side: Uint8Array.from(l.side),
          object: Int32Array.from(l.object),
          objects: l.objects,
          out: l.out,
          cash: Float64Array.from(l.cash),
          equity: Float64Array.from(l.equity),
          peak: Float64Array.from(l.peak),
          entriesOpen: Uint8Array.from(l.entriesOpen),
          book: Int32Array.from(l.book),
          books: l.books,
        },
      ]),
    );
  return { factory: wrapped, logs };
}

/**
 * One call, as columns: the bar its window ends at (the engine's windows are the `windowSize` candles up to it, and its
 * context's time is that candle's), the number argument (a price) and side, and the position, fill, trade or order view
 * it was given (an index into `objects`, −1 for none).
 */
function record(log, code, args, windowSize, SortedLimits) {
  const window = code === ON_BAR || code === GENERATE ? args[0].window : code === TRAIL ? args[2] : code === STOP || code === TARGET || code === SCORE ? args[0] : undefined;
  if (window !== undefined && window.start !== Math.max(0, window.end - windowSize + 1)) throw new Error(`recording: a window of ${window.end - window.start + 1} candles at ${window.end}, not ${windowSize}`);
  if ((code === ON_BAR || code === GENERATE) && args[0].time !== args[0].window.series.time[args[0].window.end]) throw new Error("recording: the context's time is not its window's last candle");
  const object = code === ON_BAR || code === GENERATE ? args[0].position : code === TRAIL ? args[0] : code >= FILLED ? args[0] : undefined;
  log.code.push(code);
  log.end.push(window?.end ?? -1);
  log.arg.push(code === STOP || code === TARGET || code === TRAIL ? args[1] : 0);
  log.side.push((code === STOP || code === TARGET) && args[2] === "sell" ? 1 : 0);
  log.object.push(object === undefined ? -1 : log.objects.push(code === FILLED ? [args[0], args[1]] : object) - 1);
  const decision = code === ON_BAR || code === GENERATE;
  const ctx = decision ? args[0] : undefined;
  log.cash.push(decision ? ctx.cash : 0);
  log.equity.push(decision ? ctx.equity : 0);
  log.peak.push(decision ? ctx.peakEquity : 0);
  // Read before the call, as the strategy would: the engine works the answer out once per call and keeps it.
  log.entriesOpen.push(decision && ctx.entriesOpen ? 1 : 0);
  log.book.push(decision ? bookOf(log, ctx.openOrders, SortedLimits) : -1);
}

/** The index of the copy of `views` in `log.books`, made anew when the engine's list differs from the last copy. */
function bookOf(log, views, SortedLimits) {
  const last = log.last;
  if (last !== undefined && last.views.length === views.length && last.views.every((v, k) => v === views[k])) return log.books.length - 1;
  const copy = views.slice();
  log.last = { views: copy, limits: SortedLimits.fromOrders(copy) };
  return log.books.push(log.last) - 1;
}

/**
 * Replays the recorded calls into a fresh instance of strategy `name` per symbol, with the same windows, positions and
 * arguments. With `check`, each answer is compared with the recording, and a replay that diverged (it would time other
 * work) throws; the timed replays leave the check out. Returns how many calls it made.
 *
 * @param registry - a strategy registry (`builtinRegistry()` of the build being timed).
 * @param series - symbol → that symbol's aligned candles (the windows' series).
 */
export function replayStrategy(registry, name, cfg, logs, series, Timeframe, windowSize = 300, check = false) {
  const factory = registry.create(name, cfg.strategy, { timeframe: Timeframe.parse(cfg.strategy.timeframe) });
  let calls = 0;
  for (const [symbol, log] of logs) {
    const strategy = factory(symbol);
    const s = series.get(symbol);
    const time = s.time;
    const window = { series: s, start: 0, end: -1, final: s.length - 1 };
    const { code, end, arg, side, object, objects, out, cash, equity, peak, entriesOpen, book, books } = log;
    const ctx = { symbol, time: 0, window, timeframes: undefined, position: undefined, openOrders: [], restingLimits: undefined, entriesOpen: true, cash: 0, equity: 0, peakEquity: 0 };
    for (let k = 0; k < code.length; k++) {
      const e = end[k];
      window.end = e;
      window.start = e - windowSize + 1 > 0 ? e - windowSize + 1 : 0;
      const o = object[k];
      let answer;
      switch (code[k]) {
        case ON_BAR:
          decide(ctx, time[e], o < 0 ? undefined : objects[o], cash[k], equity[k], peak[k], entriesOpen[k] === 1, books[book[k]]);
          strategy.onBar(ctx);
          continue;
        case GENERATE:
          decide(ctx, time[e], o < 0 ? undefined : objects[o], cash[k], equity[k], peak[k], entriesOpen[k] === 1, books[book[k]]);
          answer = strategy.generateOrders(ctx).length;
          break;
        case STOP:
          answer = strategy.calculateStopLoss(window, arg[k], side[k] === 1 ? "sell" : "buy");
          break;
        case TARGET:
          answer = strategy.calculateTakeProfit(window, arg[k], side[k] === 1 ? "sell" : "buy");
          break;
        case TRAIL:
          answer = strategy.updateTrailingStop(objects[o], arg[k], window);
          break;
        case SCORE:
          answer = strategy.getRegimeScore(window);
          break;
        case FILLED:
          strategy.onOrderFilled(objects[o][0], objects[o][1]);
          continue;
        case CANCELLED:
          strategy.onOrderCancelled(objects[o]);
          continue;
        case CLOSED:
          strategy.onTradeClosed(objects[o]);
          continue;
      }
      if (check && !Object.is(answer, out[k])) throw new Error(`replay of ${name} diverged at ${symbol} call ${k} (${CALLS[code[k]]}): ${answer} instead of ${out[k]}`);
    }
    calls += code.length;
    strategy.dispose?.();
  }
  return calls;
}

/** Sets the context as the engine had it for one decision call. */
function decide(ctx, time, position, cash, equity, peak, entriesOpen, book) {
  ctx.time = time;
  ctx.position = position;
  ctx.cash = cash;
  ctx.equity = equity;
  ctx.peakEquity = peak;
  ctx.entriesOpen = entriesOpen;
  ctx.openOrders = book.views;
  ctx.restingLimits = book.limits;
}

/**
 * The same run's decision calls with the position and open orders taken away and entries closed: what the strategy
 * alone does, through the replay's own loop. A replay minus this is the strategy's work in the run beyond the strategy
 * alone (bars in a position, entries' stops and scores, callbacks), with the replay loop's own cost taken out.
 */
export function flatLogs(logs) {
  return new Map(
    [...logs].map(([symbol, l]) => {
      const keep = [];
      for (let k = 0; k < l.code.length; k++) if (l.code[k] === ON_BAR || l.code[k] === GENERATE) keep.push(k);
      const pick = (Type, col) => Type.from(keep, (k) => col[k]);
      return [
        symbol,
        {
          code: pick(Uint8Array, l.code),
          end: pick(Int32Array, l.end),
          arg: new Float64Array(keep.length),
          side: new Uint8Array(keep.length),
          object: new Int32Array(keep.length).fill(-1),
          objects: [],
          out: [],
          cash: pick(Float64Array, l.cash),
          equity: pick(Float64Array, l.equity),
          peak: pick(Float64Array, l.peak),
          entriesOpen: new Uint8Array(keep.length),
          book: new Int32Array(keep.length),
          books: [{ views: [], limits: l.books[0].limits.constructor.fromOrders([]) }],
        },
      ];
    }),
  );
}
