import { describe, expect, it } from "vitest";
import { normalCdf, normalInv } from "./normal";

// Reference values: scipy.stats.norm.cdf / norm.ppf (double precision).
const CDF: [number, number][] = [
  [0, 0.5],
  [1, 0.8413447460685429],
  [-1, 0.15865525393145707],
  [1.96, 0.9750021048517795],
  [-3, 0.0013498980316300946],
  [5, 0.9999997133484281],
  [-8, 6.22096057427178e-16],
];
const PPF: [number, number][] = [
  [0.5, 0],
  [0.975, 1.959963984540054],
  [0.001, -3.090232306167813],
  [0.99, 2.3263478740408408],
  [0.75, 0.6744897501960817],
];

describe("normal distribution", () => {
  it("Φ matches known values", () => {
    for (const [x, p] of CDF) expect(normalCdf(x)).toBeCloseTo(p, 14);
    // Far tail: the absolute error stays below 1e-14, the relative one grows (still under 1e-7 at −8).
    expect(normalCdf(-8) / 6.22096057427178e-16).toBeCloseTo(1, 7);
  });

  it("Φ⁻¹ matches known values and inverts Φ", () => {
    for (const [p, x] of PPF) expect(normalInv(p)).toBeCloseTo(x, 12);
    expect(normalInv(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    for (const x of [-4, -2.5, -0.3, 0.7, 3.1]) expect(normalInv(normalCdf(x))).toBeCloseTo(x, 9);
    expect(normalInv(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalInv(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalInv(1.5)).toBeNaN();
  });
});
