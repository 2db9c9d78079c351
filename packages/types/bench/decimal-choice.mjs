// Ledger-operation benchmark behind docs/decisions/0001-decimal-library.md and 0002-own-bigint-money.md.
// Usage: pnpm --filter @tradeloom/types build && node packages/types/bench/decimal-choice.mjs
// One fill-accounting step: notional, fee, cash update and realised P&L, from number inputs (as the engine does).
import Big from "big.js";
import Decimal from "decimal.js";
import { Money } from "@tradeloom/types";

const N = 200_000;
const pool = Array.from({ length: 4096 }, (_, i) => ({
  price: Math.round((20_000 + ((i * 7919) % 50_000)) * 100) / 100,
  exit: Math.round((20_000 + ((i * 104_729) % 50_000)) * 100) / 100,
  qty: Math.round((0.001 + ((i * 31) % 1000) / 1000) * 1e6) / 1e6,
}));

function runBig() {
  const B = Big();
  let cash = new B("1000000000000");
  let pnl = new B(0);
  const rate = new B("0.001");
  for (let i = 0; i < N; i++) {
    const p = pool[i & 4095];
    const price = new B(p.price), qty = new B(p.qty), exit = new B(p.exit);
    const notional = qty.times(price);
    const fee = notional.times(rate);
    cash = cash.minus(notional.plus(fee));
    pnl = pnl.plus(exit.minus(price).times(qty).minus(fee.plus(exit.times(qty).times(rate))));
  }
  return cash.plus(pnl).toString();
}

function runDecimal() {
  const D = Decimal.clone({ precision: 40 });
  let cash = new D("1000000000000");
  let pnl = new D(0);
  const rate = new D("0.001");
  for (let i = 0; i < N; i++) {
    const p = pool[i & 4095];
    const price = new D(p.price), qty = new D(p.qty), exit = new D(p.exit);
    const notional = qty.times(price);
    const fee = notional.times(rate);
    cash = cash.minus(notional.plus(fee));
    pnl = pnl.plus(exit.minus(price).times(qty).minus(fee.plus(exit.times(qty).times(rate))));
  }
  return cash.plus(pnl).toString();
}

function runMoney() {
  let cash = Money.of("1000000000000");
  let pnl = Money.ZERO;
  const rate = Money.of("0.001");
  for (let i = 0; i < N; i++) {
    const p = pool[i & 4095];
    const price = Money.of(p.price), qty = Money.of(p.qty), exit = Money.of(p.exit);
    const notional = qty.times(price);
    const fee = notional.times(rate);
    cash = cash.minus(notional.plus(fee));
    pnl = pnl.plus(exit.minus(price).times(qty).minus(fee.plus(exit.times(qty).times(rate))));
  }
  return cash.plus(pnl).toString();
}

function time(fn) {
  fn();
  const runs = [];
  let out;
  for (let r = 0; r < 7; r++) {
    const t = process.hrtime.bigint();
    out = fn();
    runs.push(Number(process.hrtime.bigint() - t) / N);
  }
  runs.sort((a, b) => a - b);
  return { nsPerStep: runs[3], result: out };
}

const big = time(runBig);
const dec = time(runDecimal);
const own = time(runMoney);
console.log(JSON.stringify({ steps: N, bigjs: big, decimaljs: dec, money: own, sameResult: big.result === dec.result && own.result === big.result }, null, 2));
