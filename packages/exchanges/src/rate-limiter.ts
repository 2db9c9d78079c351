import { type Clock, systemClock } from "./clock";

/** Settings of a {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Permits granted per `intervalMs` in the steady state (must be > 0). */
  readonly rate: number;
  /** Length of the refill period, milliseconds (default 1000). */
  readonly intervalMs?: number;
  /** Most permits that can be saved up for a burst (default `rate`). */
  readonly burst?: number;
  /** Time source (default the system clock). */
  readonly clock?: Clock;
}

/**
 * A token bucket that refills continuously with time.
 *
 * Unlike the reference, whose bucket refilled only when a caller happened to ask and could therefore block a lone
 * caller forever (operations.md G13), `acquire` computes how long until the next permit exists and sleeps exactly
 * that long. Callers are served first come, first served.
 *
 * @example
 * const limiter = new RateLimiter({ rate: 10 }); // 10 requests per second, bursts of 10
 * await limiter.acquire();
 */
export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;
  // Waiters queue on this chain so that a later caller cannot take the permit an earlier one is sleeping for.
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions) {
    const intervalMs = options.intervalMs ?? 1000;
    if (!(options.rate > 0) || !(intervalMs > 0)) throw new RangeError("RateLimiter: rate and intervalMs must be positive");
    this.#perMs = options.rate / intervalMs;
    this.#burst = options.burst ?? options.rate;
    if (!(this.#burst >= 1)) throw new RangeError("RateLimiter: burst must be at least 1");
    this.#clock = options.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  /** Permits available right now (fractional while refilling). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Waits for a permit and takes it. Rejects with the signal's reason if `signal` aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  /** Takes a permit if one is available now; never waits. */
  tryAcquire(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep(Math.ceil((1 - this.#tokens) / this.#perMs), signal);
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#last;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
      this.#last = now;
    }
  }
}
