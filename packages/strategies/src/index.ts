/**
 * @packageDocumentation
 * The Tradeloom strategy contract, window-exact streaming indicators, the five built-in strategies, their parameter
 * schemas and a registry.
 */
export { NO_ORDERS, type Strategy, type StrategyContext, type BarWindow, type OpenOrderView } from "./strategy";
export { Orders, type OrderRequest } from "@tradeloom/oms";
export { SortedLimits, type RestingLimits } from "./resting-limits";
export {
  defineStrategy,
  type StrategyDefinition,
  type StrategySpec,
  type StrategyFactory,
  type StrategyInstanceContext,
  type StrategyBuildContext,
} from "./define-strategy";
export { StrategyRegistry } from "./registry";
export { builtinRegistry } from "./builtin/registry";
export { param, parseParams } from "./params";
export { WindowFeed, IndicatorSets, WindowKey } from "./builtin/window-feed";
export * from "./indicators/index";
export {
  volatilityRegime,
  volatilityRegimeParams,
  VolatilityRegimeStrategy,
  type VolatilityRegimeParams,
  type VolatilityRegime,
} from "./builtin/volatility-regime";
export {
  momentumScalper,
  momentumScalperParams,
  MomentumScalperStrategy,
  type MomentumScalperParams,
  type MomentumState,
} from "./builtin/momentum-scalper";
export { quickFlip, quickFlipParams, QuickFlipStrategy, type QuickFlipParams } from "./builtin/quick-flip";
export { rangeBreakout, rangeBreakoutParams, RangeBreakoutStrategy, type RangeBreakoutParams } from "./builtin/range-breakout";
export { regimeGrid, regimeGridParams, RegimeGridStrategy, type RegimeGridParams, type GridRegime } from "./builtin/regime-grid";
