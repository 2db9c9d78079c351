export { Money, type MoneyInput } from "./money";
export { TradingSymbol } from "./trading-symbol";
export { Timeframe } from "./timeframe";
export { CandleSeries, type Candle } from "./candle-series";
export { type Side, oppositeSide, sideSign } from "./side";
export { parseCandleTime, parseDateBound, formatCandleTime } from "./time";
export { TradeloomError, ConfigError, DataError, OrderError } from "./errors";
export {
  parseCandleCsv,
  formatCandleCsv,
  formatDecimal,
  candleProblem,
  CANDLE_CSV_HEADER,
  type ParsedCandles,
  type SkippedRow,
} from "./candle-csv";
