// Hand-written loops: "the limit" for each built-in strategy (docs/benchmarks.md, benchmark 2).
//
// Each function runs one symbol's Float64Array columns through the strategy's indicators, computed incrementally over
// the full history (no 300-bar window), and its entry/exit conditions, with a minimal position model: enter at the
// close, leave on the strategy's own exit, on close ≤ ATR stop or on high ≥ ATR target (long only, as the shipped
// configs). No engine, no Strategy objects, no orders, no ledger: it counts signals. The definitions follow
// strategies.md §2–6 (EMA seeded with the first close, Wilder ATR/ADX seeded by means, EMA-smoothed RSI with 0.1
// seeds, MACD from two EMAs, previous-N range via a monotonic deque, previous-20 volume mean).
//
// Each returns entries × 2 + exits, so the JIT cannot drop the work.

const max = Math.max;
const abs = Math.abs;

function ringFor(n) {
  let s = 1;
  while (s < n + 2) s <<= 1;
  return s;
}

/** volatility_regime (§3): ATR, EMA fast/slow, ADX, previous-N range, ATR mean of the last N. */
export function loopVolatilityRegime(s, p) {
  const { high: H, low: L, close: C } = s;
  const n = s.length;
  const ap = p.atr_period, dp = p.adx_period, lb = p.volatility_lookback;
  const kf = 2 / (p.ema_fast + 1), ks = 2 / (p.ema_slow + 1);
  const warm = max(ap + 2 * dp, ap + lb, p.ema_slow);
  const rs = ringFor(lb), rm = rs - 1;
  const dq = new Int32Array(rs); // deque of indices, decreasing highs
  const atrRing = new Float64Array(lb);
  let dh = 0, dt = 0;
  let atr = NaN, trSum = 0, ef = 0, es = 0;
  let sp = 0, sm = 0, sa = 0, dxSum = 0, adx = NaN;
  let atrSum = 0, atrCount = 0;
  let inPos = false, entry = 0, stop = 0, target = 0, entries = 0, exits = 0;
  for (let i = 0; i < n; i++) {
    const h = H[i], l = L[i], c = C[i];
    let tr, pdm = 0, mdm = 0;
    if (i === 0) {
      tr = h - l;
      ef = c;
      es = c;
    } else {
      const pc = C[i - 1];
      tr = max(h - l, abs(h - pc), abs(l - pc));
      ef += kf * (c - ef);
      es += ks * (c - es);
      const up = h - H[i - 1], dn = L[i - 1] - l;
      if (up > dn && up > 0) pdm = up;
      else if (dn > up && dn > 0) mdm = dn;
    }
    // ATR(ap)
    if (i < ap) {
      trSum += tr;
      if (i === ap - 1) atr = trSum / ap;
    } else atr = (atr * (ap - 1) + tr) / ap;
    // ADX(dp)
    if (i < dp) {
      sp += pdm; sm += mdm; sa += tr;
      if (i === dp - 1) { sp /= dp; sm /= dp; sa /= dp; }
    } else {
      sp = (sp * (dp - 1) + pdm) / dp; sm = (sm * (dp - 1) + mdm) / dp; sa = (sa * (dp - 1) + tr) / dp;
    }
    if (i >= dp - 1) {
      const dx = sa > 0 && sp + sm > 0 ? (100 * abs(sp - sm)) / (sp + sm) : 0;
      const k = i - dp + 1;
      if (k < dp) {
        dxSum += dx;
        if (k === dp - 1) adx = dxSum / dp;
      } else adx = (adx * (dp - 1) + dx) / dp;
    }
    // mean of the last lb ATRs
    if (i >= ap - 1) {
      const slot = atrCount % lb;
      if (atrCount >= lb) atrSum -= atrRing[slot];
      atrRing[slot] = atr;
      atrSum += atr;
      atrCount++;
    }
    // previous-lb range high: drop indices older than i − lb
    while (dh !== dt && dq[dh & rm] < i - lb) dh++;
    if (i >= warm) {
      const mean = atrSum / (atrCount < lb ? atrCount : lb);
      const ratio = mean === 0 ? 1 : atr / mean;
      if (inPos) {
        if (c <= stop || h >= target || ratio >= p.extreme_threshold || (c >= entry && c < es)) {
          inPos = false;
          exits++;
        }
      } else if (ratio < p.expansion_threshold && ef > es && adx > p.adx_threshold) {
        const level = H[dq[dh & rm]] - p.breakout_atr_multiple * atr;
        if (c > level && C[i - 1] <= level) {
          inPos = true;
          entries++;
          entry = c;
          stop = c - p.stop_atr_multiple * atr;
          target = c + p.target_atr_multiple * atr;
        }
      }
    }
    while (dh !== dt && H[dq[(dt - 1) & rm]] <= h) dt--;
    dq[dt & rm] = i;
    dt++;
  }
  return entries * 2 + exits;
}

/** regime_grid (§4): EMA short/long, ADX, RSI (EMA-smoothed), ATR kill switch; regime per bar; grid entry/exit. */
export function loopRegimeGrid(s, p) {
  const { open: O, high: H, low: L, close: C } = s;
  const n = s.length;
  const dp = p.adx_period, ap = p.atr_period_1h;
  const kS = 2 / (p.ema_short_period + 1), kL = 2 / (p.ema_long_period + 1), kr = 2 / (p.rsi_period + 1);
  const warm = max(p.ema_long_period, p.adx_period, p.rsi_period);
  let eS = 0, eL = 0, ru = 0.1, rd = 0.1, atr = NaN, trSum = 0;
  let sp = 0, sm = 0, sa = 0, dxSum = 0, adx = NaN;
  let inPos = false, stop = 0, target = 0, entries = 0, exits = 0;
  for (let i = 0; i < n; i++) {
    const o = O[i], h = H[i], l = L[i], c = C[i];
    let tr, pdm = 0, mdm = 0;
    if (i === 0) {
      tr = h - l;
      eS = c;
      eL = c;
    } else {
      const pc = C[i - 1];
      tr = max(h - l, abs(h - pc), abs(l - pc));
      eS += kS * (c - eS);
      eL += kL * (c - eL);
      if (c > pc) { ru += kr * (c - pc - ru); rd -= kr * rd; }
      else { ru -= kr * ru; rd += kr * (pc - c - rd); }
      const up = h - H[i - 1], dn = L[i - 1] - l;
      if (up > dn && up > 0) pdm = up;
      else if (dn > up && dn > 0) mdm = dn;
    }
    if (i < ap) {
      trSum += tr;
      if (i === ap - 1) atr = trSum / ap;
    } else atr = (atr * (ap - 1) + tr) / ap;
    if (i < dp) {
      sp += pdm; sm += mdm; sa += tr;
      if (i === dp - 1) { sp /= dp; sm /= dp; sa /= dp; }
    } else {
      sp = (sp * (dp - 1) + pdm) / dp; sm = (sm * (dp - 1) + mdm) / dp; sa = (sa * (dp - 1) + tr) / dp;
    }
    if (i >= dp - 1) {
      const dx = sa > 0 && sp + sm > 0 ? (100 * abs(sp - sm)) / (sp + sm) : 0;
      const k = i - dp + 1;
      if (k < dp) {
        dxSum += dx;
        if (k === dp - 1) adx = dxSum / dp;
      } else adx = (adx * (dp - 1) + dx) / dp;
    }
    if (i < warm) continue;
    if (inPos && (c <= stop || h >= target)) {
      inPos = false;
      exits++;
      continue;
    }
    if (atr / c > p.volatility_kill_threshold) {
      if (inPos) { inPos = false; exits++; }
      continue;
    }
    // regime (§4.3): 0 high volatility, 1 sideways, 2 bearish, 3 bullish
    const rsi = (100 * ru) / (ru + rd);
    let regime = 0;
    if (abs(c - o) / o > p.high_volatility_candle_pct) regime = 0;
    else if (adx < p.adx_sideways_threshold && abs(c - eS) / eS <= p.ema_band_pct) regime = 1;
    else if (c < eL && rsi < p.rsi_bear_threshold) regime = 2;
    else if (c > eL && rsi >= p.rsi_bull_min && rsi <= p.rsi_bull_max) regime = 3;
    if (regime === 0 || regime === 2) {
      if (inPos) { inPos = false; exits++; }
    } else if (!inPos) {
      // the grid's first level fills when the next bars trade down to it
      const level = c * (1 - (regime === 1 ? p.grid_spacing_pct : p.bull_grid_spacing_pct));
      if (i + 1 < n && L[i + 1] <= level) {
        inPos = true;
        entries++;
        stop = level - p.stop_atr_multiple * atr;
        target = level * (1 + p.sell_target_pct);
      }
    }
  }
  return entries * 2 + exits;
}

/** momentum_scalper (§5): EMA fast/slow, ADX, MACD, ATR for stop/target; max-hold and cross-back exits, cooldown. */
export function loopMomentumScalper(s, p) {
  const { high: H, low: L, close: C } = s;
  const n = s.length;
  const ap = p.atr_period, dp = p.adx_period;
  const kf = 2 / (p.ema_fast + 1), ks = 2 / (p.ema_slow + 1);
  const kmf = 2 / (p.macd_fast + 1), kms = 2 / (p.macd_slow + 1), kmg = 2 / (p.macd_signal + 1);
  const warm = max(p.ema_slow, p.ema_trend, p.macd_slow + p.macd_signal, 2 * dp) + 5;
  let ef = 0, es = 0, mf = 0, ms = 0, sig = 0, hist = 0, atr = NaN, trSum = 0;
  let sp = 0, sm = 0, sa = 0, dxSum = 0, adx = NaN;
  let inPos = false, held = 0, cool = 0, stop = 0, target = 0, entries = 0, exits = 0;
  for (let i = 0; i < n; i++) {
    const h = H[i], l = L[i], c = C[i];
    let tr, pdm = 0, mdm = 0;
    if (i === 0) {
      tr = h - l;
      ef = es = mf = ms = c;
      sig = 0;
    } else {
      const pc = C[i - 1];
      tr = max(h - l, abs(h - pc), abs(l - pc));
      ef += kf * (c - ef);
      es += ks * (c - es);
      mf += kmf * (c - mf);
      ms += kms * (c - ms);
      sig += kmg * (mf - ms - sig);
      const up = h - H[i - 1], dn = L[i - 1] - l;
      if (up > dn && up > 0) pdm = up;
      else if (dn > up && dn > 0) mdm = dn;
    }
    hist = mf - ms - sig;
    if (i < ap) {
      trSum += tr;
      if (i === ap - 1) atr = trSum / ap;
    } else atr = (atr * (ap - 1) + tr) / ap;
    if (i < dp) {
      sp += pdm; sm += mdm; sa += tr;
      if (i === dp - 1) { sp /= dp; sm /= dp; sa /= dp; }
    } else {
      sp = (sp * (dp - 1) + pdm) / dp; sm = (sm * (dp - 1) + mdm) / dp; sa = (sa * (dp - 1) + tr) / dp;
    }
    if (i >= dp - 1) {
      const dx = sa > 0 && sp + sm > 0 ? (100 * abs(sp - sm)) / (sp + sm) : 0;
      const k = i - dp + 1;
      if (k < dp) {
        dxSum += dx;
        if (k === dp - 1) adx = dxSum / dp;
      } else adx = (adx * (dp - 1) + dx) / dp;
    }
    if (i < warm) continue;
    const bearish = p.use_macd && hist < 0;
    if (inPos) {
      held++;
      if (c <= stop || h >= target || (p.exit_on_cross && ef < es) || held >= p.max_hold_bars || bearish) {
        inPos = false;
        exits++;
        cool = p.cooldown_bars;
      }
      continue;
    }
    if (cool > 0) {
      cool--;
      if (cool > 0) continue;
    }
    if (ef > es && !bearish && !(p.adx_threshold > 0 && !(adx >= p.adx_threshold)) ) {
      inPos = true;
      held = 0;
      entries++;
      stop = c - p.stop_atr_multiple * atr;
      target = c + p.target_atr_multiple * atr;
    }
  }
  return entries * 2 + exits;
}

/** quick_flip (§6.1–6.2): ATR, previous-N range high/low, candle body; breakout entries, cooldown. */
export function loopQuickFlip(s, p) {
  const { open: O, high: H, low: L, close: C } = s;
  const n = s.length;
  const ap = p.atr_period, rb = p.range_bars;
  const warm = rb + ap + 5;
  const rs = ringFor(rb), rm = rs - 1;
  const dqH = new Int32Array(rs), dqL = new Int32Array(rs);
  let hh = 0, ht = 0, lh = 0, lt = 0;
  let atr = NaN, trSum = 0;
  let inPos = false, cool = 0, stop = 0, target = 0, entries = 0, exits = 0;
  for (let i = 0; i < n; i++) {
    const o = O[i], h = H[i], l = L[i], c = C[i];
    const tr = i === 0 ? h - l : max(h - l, abs(h - C[i - 1]), abs(l - C[i - 1]));
    if (i < ap) {
      trSum += tr;
      if (i === ap - 1) atr = trSum / ap;
    } else atr = (atr * (ap - 1) + tr) / ap;
    while (hh !== ht && dqH[hh & rm] < i - rb) hh++;
    while (lh !== lt && dqL[lh & rm] < i - rb) lh++;
    if (cool > 0) cool--;
    if (i >= warm) {
      if (inPos) {
        if (c <= stop || h >= target) {
          inPos = false;
          exits++;
          cool = p.cooldown;
        }
      } else if (cool === 0) {
        const rh = H[dqH[hh & rm]], rl = L[dqL[lh & rm]];
        const a = atr;
        if (!(p.min_range_pct > 0 && rh - rl < a * p.min_range_pct)) {
          const strong = c > o && (p.body_ratio <= 0 || (h - l > 0 && (c - o) / (h - l) >= p.body_ratio));
          if (c > rh && C[i - 1] <= rh && strong) {
            inPos = true;
            entries++;
            stop = c - p.stop_atr * a;
            target = c + p.target_atr * a;
          }
        }
      }
    }
    while (hh !== ht && H[dqH[(ht - 1) & rm]] <= h) ht--;
    dqH[ht & rm] = i;
    ht++;
    while (lh !== lt && L[dqL[(lt - 1) & rm]] >= l) lt--;
    dqL[lt & rm] = i;
    lt++;
  }
  return entries * 2 + exits;
}

/** range_breakout (§6.3–6.4): ATR (and ATR 4 bars back), previous-N range, previous-20 volume mean; ADX/EMA if enabled. */
export function loopRangeBreakout(s, p) {
  const { high: H, low: L, close: C, volume: V } = s;
  const n = s.length;
  const ap = p.atr_period, lb = p.lookback, dp = p.adx_period;
  const useAdx = p.min_adx > 0, te = p.trend_ema, ke = 2 / (te + 1);
  const warm = max(lb, te) + ap + 2;
  const rs = ringFor(lb), rm = rs - 1;
  const dqH = new Int32Array(rs);
  const atrRing = new Float64Array(8);
  let hh = 0, ht = 0;
  let atr = NaN, trSum = 0, volSum = 0, ema = 0;
  let sp = 0, sm = 0, sa = 0, dxSum = 0, adx = NaN;
  let inPos = false, cool = 0, stop = 0, target = 0, entries = 0, exits = 0;
  for (let i = 0; i < n; i++) {
    const h = H[i], l = L[i], c = C[i];
    let tr, pdm = 0, mdm = 0;
    if (i === 0) {
      tr = h - l;
      ema = c;
    } else {
      const pc = C[i - 1];
      tr = max(h - l, abs(h - pc), abs(l - pc));
      ema += ke * (c - ema);
      const up = h - H[i - 1], dn = L[i - 1] - l;
      if (up > dn && up > 0) pdm = up;
      else if (dn > up && dn > 0) mdm = dn;
    }
    if (i < ap) {
      trSum += tr;
      if (i === ap - 1) atr = trSum / ap;
    } else atr = (atr * (ap - 1) + tr) / ap;
    atrRing[i & 7] = atr;
    if (useAdx) {
      if (i < dp) {
        sp += pdm; sm += mdm; sa += tr;
        if (i === dp - 1) { sp /= dp; sm /= dp; sa /= dp; }
      } else {
        sp = (sp * (dp - 1) + pdm) / dp; sm = (sm * (dp - 1) + mdm) / dp; sa = (sa * (dp - 1) + tr) / dp;
      }
      if (i >= dp - 1) {
        const dx = sa > 0 && sp + sm > 0 ? (100 * abs(sp - sm)) / (sp + sm) : 0;
        const k = i - dp + 1;
        if (k < dp) {
          dxSum += dx;
          if (k === dp - 1) adx = dxSum / dp;
        } else adx = (adx * (dp - 1) + dx) / dp;
      }
    }
    // previous-20 volume mean (bars i−20 … i−1)
    if (i >= 21) volSum -= V[i - 21];
    if (i >= 1) volSum += V[i - 1];
    while (hh !== ht && dqH[hh & rm] < i - lb) hh++;
    if (cool > 0) cool--;
    if (i >= warm) {
      if (inPos) {
        if (c <= stop || h >= target) {
          inPos = false;
          exits++;
          cool = p.cooldown;
        }
      } else if (cool === 0) {
        const rh = H[dqH[hh & rm]];
        if (
          c > rh &&
          C[i - 1] <= rh &&
          atr > 0.9 * atrRing[(i - 4) & 7] &&
          V[i] > (0.8 * volSum) / 20 &&
          (!useAdx || adx >= p.min_adx) &&
          (te === 0 || c > ema)
        ) {
          inPos = true;
          entries++;
          stop = c - p.stop_atr * atr;
          target = c + p.target_atr * atr;
        }
      }
    }
    while (hh !== ht && H[dqH[(ht - 1) & rm]] <= h) ht--;
    dqH[ht & rm] = i;
    ht++;
  }
  return entries * 2 + exits;
}

/** The loop for each built-in strategy name. */
export const LOOPS = {
  volatility_regime: loopVolatilityRegime,
  regime_grid: loopRegimeGrid,
  momentum_scalper: loopMomentumScalper,
  quick_flip: loopQuickFlip,
  range_breakout: loopRangeBreakout,
};
