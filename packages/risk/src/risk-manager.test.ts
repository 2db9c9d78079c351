import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RiskManager } from "./risk-manager";
import type { RiskLimits } from "./risk-limits";

const limits: RiskLimits = {
  riskPerTrade: 0.15,
  maxPositions: 2,
  maxPortfolioHeat: 0.3,
  maxPositionPct: 0.2,
  maxDrawdown: 0.2,
  drawdownWarning: 0.1,
  drawdownCritical: 0.15,
  drawdownWarningMultiplier: 0.5,
  drawdownCriticalMultiplier: 0.25,
  consecutiveLossLimit: 3,
  consecutiveLossMultiplier: 0.75,
};
const req = { price: 100, stop: 90, score: 1, heat: 0, committedNotional: 0 };

describe("RiskManager sizing chain", () => {
  it("sizes by risk and caps by position notional (engine.md §14 worked example)", () => {
    const rm = new RiskManager(100_000, limits);
    // 15 000 risk / 10 distance = 1 500 units, capped at 20 % of capital / 100 = 200
    expect(rm.size(req)).toBeCloseTo(200, 9);
    expect(rm.size({ ...req, committedNotional: 15_000 })).toBeCloseTo(50, 9);
  });

  it("reports the notional room left, which bounds every size", () => {
    const rm = new RiskManager(100_000, limits);
    expect(rm.notionalRoom(100, 15_000)).toBeCloseTo(50, 9);
    expect(rm.notionalRoom(100, 20_000)).toBe(0);
    expect(rm.notionalRoom(100, 25_000)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1e6, noNaN: true }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), fc.double({ min: 0, max: 30_000, noNaN: true }), (price, stopPct, committed) => {
        const size = rm.size({ price, stop: price * (1 - stopPct), score: 1.5, heat: 0, committedNotional: committed });
        expect(size).toBeLessThanOrEqual(rm.notionalRoom(price, committed) * (1 + 1e-12));
      }),
    );
  });

  it("scales by score, drawdown and loss streak multipliers", () => {
    const rm = new RiskManager(100_000, { ...limits, maxPositionPct: 10 });
    expect(rm.size({ ...req, score: 0.5 })).toBeCloseTo(750, 9);
    rm.updateCapital(89_000); // 11 % drawdown: warning
    expect(rm.drawdownMultiplier).toBe(0.5);
    expect(rm.size(req)).toBeCloseTo((89_000 * 0.15 * 0.5) / 10, 9);
    rm.updateCapital(84_000); // 16 %: critical
    expect(rm.drawdownMultiplier).toBe(0.25);
    rm.recordTrade(-1);
    rm.recordTrade(0);
    rm.recordTrade(-5);
    expect(rm.lossStreakMultiplier).toBe(0.75);
    expect(rm.size(req)).toBeCloseTo((84_000 * 0.15 * 0.25 * 0.75) / 10, 9);
    rm.recordTrade(3);
    expect(rm.lossStreakMultiplier).toBe(1);
  });

  it("caps by portfolio heat", () => {
    const rm = new RiskManager(100_000, { ...limits, maxPositionPct: 10 });
    // heat cap 30 000; 25 000 already at risk leaves 5 000 → 500 units at distance 10
    expect(rm.size({ ...req, heat: 25_000 })).toBeCloseTo(500, 9);
    expect(rm.size({ ...req, heat: 30_000 })).toBe(0);
  });

  it("halts at max drawdown while the peak stands, and refuses zero distance or zero score", () => {
    const rm = new RiskManager(100_000, limits);
    expect(rm.size({ ...req, stop: 100 })).toBe(0);
    expect(rm.size({ ...req, score: 0 })).toBe(0);
    rm.updateCapital(120_000);
    rm.updateCapital(96_000);
    expect(rm.halted).toBe(true);
    expect(rm.size(req)).toBe(0);
    expect(rm.canOpen(0)).toBe(false);
    rm.updateCapital(100_000);
    expect(rm.halted).toBe(false);
    expect(rm.peak).toBe(120_000);
  });

  it("limits the number of positions", () => {
    const rm = new RiskManager(100_000, limits);
    expect(rm.canOpen(1)).toBe(true);
    expect(rm.canOpen(2)).toBe(false);
  });
});
