/**
 * @packageDocumentation
 * Parallel grid search over Tradeloom backtests: lazy grid expansion, worker threads sharing one copy of the candles,
 * a deterministic bounded ranking, sharding with mergeable results files, holdout checks, anchored walk-forward
 * validation, the deflated Sharpe ratio, and the config rewrite with its `_optimization` history.
 */
export type { JsonValue } from "./json";
export { Grid, type Combination, type DuplicateValues } from "./grid";
export { parseOverride, parseOverrideValue, applyOverrides, type GridOverride } from "./override";
export { coinGroups, symbolGroups, groupName, timeframeList, type SymbolGroup } from "./dimensions";
export { RunSpace, type RunCoordinates } from "./run-space";
export { parseShard, shardSize, BatchCursor, WHOLE, type Shard, type Batch } from "./shard";
export { ExactSum } from "./exact-sum";
export { normalCdf, normalInv } from "./normal";
export { deflatedSharpe, expectedMaxSharpe, type DeflatedSharpe, type DeflatedSharpeInput } from "./deflated-sharpe";
export {
  SORT_METRICS,
  parseSortMetric,
  metricValue,
  compareRuns,
  TopRuns,
  type SortMetric,
  type RunMetrics,
  type ReturnMoments,
  type ScoredRun,
} from "./ranking";
export { TrialStats, type FailureReason } from "./trial-stats";
export { returnMoments } from "./moments";
export { toRunMetrics } from "./run-metrics";
export { Accumulator, type OptimizeReport, type PassOutcome, type RankedRun, type WinnerDeflatedSharpe } from "./report";
export { BacktestPool, defaultWorkerFile, defaultWorkerCount, type BacktestPoolOptions } from "./pool";
export { WorkerScaling, WORKER_WARMUP_MS, MIN_OBSERVED_MS, type WorkerScalingOptions } from "./worker-scaling";
export type { BatchTask, BatchResult, RunOutcome, WorkerContext, SharedCandles, TaskPlan, DateWindow } from "./protocol";
export { planTasks, type MarketPlan, type PlanOptions, type FoldPlan } from "./plan";
export { foldCuts, foldWindows, checkFoldCount, parseFoldCount, mergeTimelines, MIN_SEGMENT_BARS, type BarSpan, type FoldWindows } from "./folds";
export {
  summarizeWalkForward,
  parameterStability,
  annualisedReturn,
  type WalkForwardReport,
  type WalkForwardFold,
  type WalkForwardSummary,
  type ParameterStability,
  type ParameterChoice,
} from "./walk-forward";
export { optimize, searchSpace, type OptimizeOptions, type OptimizeProgress, type SearchSpace } from "./optimize";
export { ResultsWriter, mergeResults, RESULTS_FORMAT, type ResultsHeader, type MergedResults } from "./results-file";
export { parseRawJson, stringifyRawJson, rawFromValue, member, setMember, valueOf, type RawNode } from "./raw-json";
export {
  rewriteConfigText,
  historyEntry,
  historyMetrics,
  walkForwardHistory,
  scopeFields,
  formatTimestamp,
  formatDay,
  HISTORY_FIELD,
  type ConfigUpdate,
  type ResultScope,
} from "./config-update";
export { decideUpdate, savedBaseline, backtestBaseline, IMPROVEMENT_EPSILON, type Baseline, type UpdateDecision, type BaselineOptions } from "./decision";
export { writeFileAtomic } from "./atomic-write";
