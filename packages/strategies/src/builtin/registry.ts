import { StrategyRegistry } from "../registry";
import { volatilityRegime } from "./volatility-regime";

/** A new registry holding the five built-in strategies. */
export function builtinRegistry(): StrategyRegistry {
  return new StrategyRegistry().register(volatilityRegime);
}
