import { CircuitBreaker, type CallOutcome } from "./circuit-breaker";
import { type Clock, systemClock } from "./clock";
import { ExchangeError } from "./errors";
import { RateLimiter } from "./rate-limiter";
import { DEFAULT_RETRY_POLICY, retry, type RetryPolicy } from "./retry";

/** Resilience settings shared by every client. Each part may be given ready-made to share it between clients. */
export interface ResilienceOptions {
  /** Rate limiter, or its settings (default 10 requests per second). */
  readonly rateLimiter?: RateLimiter | { readonly rate: number; readonly intervalMs?: number; readonly burst?: number };
  /** Circuit breaker, or its settings (default 5 failures, 2 successes, 60 s open). */
  readonly circuitBreaker?: CircuitBreaker | { readonly failureThreshold?: number; readonly successThreshold?: number; readonly openTimeoutMs?: number };
  /** Retry policy of reads (merged over {@link DEFAULT_RETRY_POLICY}). */
  readonly retry?: Partial<RetryPolicy>;
  /** Time source for waits, refills and the breaker (default the system clock). */
  readonly clock?: Clock;
  /** Random numbers in [0, 1) for jitter (default `Math.random`). */
  readonly random?: () => number;
}

function outcomeOf(error: unknown): CallOutcome {
  // Only the exchange's own trouble counts against it: a refused order or a bad key says nothing about its health.
  if (error instanceof ExchangeError) {
    return error.code === "EXCHANGE_NETWORK" || error.code === "EXCHANGE_DOWN" || error.code === "EXCHANGE_BAD_RESPONSE" ? "failure" : "ignored";
  }
  return "ignored";
}

/**
 * The rate limiter, circuit breaker and retry policy of one exchange connection.
 *
 * Each logical call asks the breaker once and records one outcome (so a call retried four times counts as one
 * failure); each attempt takes its own rate-limit permit, since every attempt is a request the exchange counts.
 */
export class Resilience {
  /** Exchange id used in errors. */
  readonly exchange: string;
  /** The limiter every request of this connection goes through. */
  readonly rateLimiter: RateLimiter;
  /** The breaker of this connection. */
  readonly circuitBreaker: CircuitBreaker;
  /** The effective retry policy for reads. */
  readonly policy: RetryPolicy;
  /** The time source. */
  readonly clock: Clock;
  readonly #random: () => number;

  constructor(exchange: string, options: ResilienceOptions = {}) {
    this.exchange = exchange;
    this.clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    const rl = options.rateLimiter;
    this.rateLimiter = rl instanceof RateLimiter ? rl : new RateLimiter({ rate: 10, ...rl, clock: this.clock });
    const cb = options.circuitBreaker;
    this.circuitBreaker = cb instanceof CircuitBreaker ? cb : new CircuitBreaker({ ...cb, clock: this.clock });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  /** Runs a call that is safe to repeat (reads, cancels, lookups), retrying transient failures with backoff. */
  read<T>(operation: string, call: (signal?: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#guarded(operation, signal, () =>
      retry(
        async () => {
          await this.rateLimiter.acquire(signal);
          return call(signal);
        },
        {
          policy: this.policy,
          clock: this.clock,
          random: this.#random,
          ...(signal ? { signal } : {}),
          shouldRetry: (e) => e instanceof ExchangeError && e.retryable,
          retryAfterMs: (e) => (e instanceof ExchangeError ? e.retryAfterMs : undefined),
        },
      ),
    );
  }

  /** Runs a call exactly once (an order send): breaker and rate limiter apply, retries do not. */
  once<T>(operation: string, call: (signal?: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.#guarded(operation, signal, async () => {
      await this.rateLimiter.acquire(signal);
      return call(signal);
    });
  }

  /** Sleeps on this connection's clock (used between an ambiguous order failure and its lookup). */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(ms, signal);
  }

  async #guarded<T>(operation: string, signal: AbortSignal | undefined, body: () => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    if (!this.circuitBreaker.tryAcquire()) {
      throw new ExchangeError("EXCHANGE_CIRCUIT_OPEN", `${this.exchange}: circuit breaker is open; ${operation} not sent`, {
        exchange: this.exchange,
        operation,
        ambiguous: false,
      });
    }
    try {
      const result = await body();
      this.circuitBreaker.release("success");
      return result;
    } catch (error) {
      this.circuitBreaker.release(outcomeOf(error));
      throw error;
    }
  }
}
