export type { Clock } from "./clock";
export { systemClock } from "./clock";
export { ExchangeError, type ExchangeErrorCode, type ExchangeErrorDetails } from "./errors";
export type {
  Balance,
  Candle,
  CandleQuery,
  ExchangeClient,
  MarketRules,
  Order,
  OrderRef,
  OrderRequest,
  OrderStatus,
  OrderType,
  Position,
  Ticker,
} from "./model";
export { RateLimiter, type RateLimiterOptions } from "./rate-limiter";
export { CircuitBreaker, type CircuitBreakerOptions, type CircuitState, type CallOutcome } from "./circuit-breaker";
export { retry, backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryOptions } from "./retry";
export { Resilience, type ResilienceOptions } from "./resilience";
export { placeOrderSafely, type OrderPlacementSteps, type OrderPlacementOptions } from "./order-placement";
export { fetchCandleHistory, type CandleHistoryOptions } from "./candle-history";
export { mergeCandles, readCandleFile, writeCandleFileAtomic, type CandleFileContents } from "./candle-file";
export { CoinDcxClient, type CoinDcxClientOptions } from "./coindcx/client";
export { CoinDcxMarkets, type CoinDcxMarket } from "./coindcx/markets";
export { signCoinDcx } from "./coindcx/signing";
export { CcxtClient, createBinanceClient, type CcxtClientOptions, type BinanceClientOptions } from "./ccxt/client";
export { KiteClient, type KiteClientOptions } from "./kite/client";
export { createKiteSession, kiteChecksum, kiteLoginUrl, type KiteSession, type KiteSessionOptions } from "./kite/session";
