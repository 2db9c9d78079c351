// Cost of one round trip through the ledger (buy fill + sell fill with a realised trade), from number prices.
import { Money } from "@tradeloom/types";
import { ExecutionEngine, Order, Orders } from "@tradeloom/oms";

const N = 20_000;
function run() {
  const eng = new ExecutionEngine(Money.of(1_000_000_000), { makerFee: 0.001, takerFee: 0.001, lotStep: "0.00000001" });
  let id = 1;
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const p = 20_000 + (i % 1000) * 1.37;
    const q = Money.of(0.12345678 + (i % 7) * 0.001);
    eng.execute(new Order({ id: id++, symbol: "X", request: Orders.marketBuy(1), quantity: q, createdAt: i }), p * 1.001, false, i, "signal");
    eng.execute(new Order({ id: id++, symbol: "X", request: Orders.reduceOnly(Orders.marketSell(1)), quantity: q, createdAt: i }), p * 1.01 * 0.999, false, i, "signal");
  }
  return Number(process.hrtime.bigint() - t) / N;
}
run();
const xs = [run(), run(), run(), run(), run()].sort((a, b) => a - b);
console.log(JSON.stringify({ bench: "ledger", nsPerRoundTrip: Math.round(xs[2]) }));
