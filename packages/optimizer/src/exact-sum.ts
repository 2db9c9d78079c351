/**
 * A sum of doubles that is exact until read, then rounded once (Shewchuk's partials, as in Python's `math.fsum`).
 *
 * Workers finish in any order; a plain running sum would then differ in its last bits from run to run. The exact
 * sum does not depend on the order of additions, so statistics built from it (the deflated Sharpe ratio's trial
 * variance) are identical whatever the worker count, completion order or sharding.
 */
export class ExactSum {
  private partials: number[] = [];
  private special = 0;

  /** Adds `x`; non-finite values are kept aside and make the sum non-finite. */
  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    let i = 0;
    for (let y of this.partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) this.partials[i++] = lo;
      x = hi;
    }
    this.partials.length = i;
    this.partials.push(x);
  }

  /** The correctly rounded value of the sum. */
  value(): number {
    if (this.special !== 0 || Number.isNaN(this.special)) return this.special;
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half-even correctly when the remaining partials would tip the last bit (fsum's final correction).
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }
}
