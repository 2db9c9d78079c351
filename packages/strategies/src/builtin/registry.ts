import { StrategyRegistry } from "../registry";
import { volatilityRegime } from "./volatility-regime";
import { regimeGrid } from "./regime-grid";
import { momentumScalper } from "./momentum-scalper";
import { quickFlip } from "./quick-flip";
import { rangeBreakout } from "./range-breakout";

/** A new registry holding the five built-in strategies. */
export function builtinRegistry(): StrategyRegistry {
  return new StrategyRegistry().register(volatilityRegime).register(momentumScalper).register(rangeBreakout).register(quickFlip).register(regimeGrid);
}
