import type { ReturnMoments } from "./ranking";

/** Skewness and kurtosis (population moments) of the per-bar returns of an equity curve. */
export function returnMoments(equity: Float64Array): ReturnMoments {
  const n = equity.length - 1;
  if (n < 1) return { observations: 0, skewness: Number.NaN, kurtosis: Number.NaN };
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += equity[i]! / equity[i - 1]! - 1;
  const mean = sum / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 1; i <= n; i++) {
    const d = equity[i]! / equity[i - 1]! - 1 - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  // A flat curve (no trades) has no shape: report a normal one rather than 0/0.
  if (m2 === 0) return { observations: n, skewness: 0, kurtosis: 3 };
  return { observations: n, skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}
