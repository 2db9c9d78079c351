import { type Clock, systemClock } from "./clock";

/** `closed`: calls pass. `open`: calls are refused. `half-open`: a few probe calls decide whether to close again. */
export type CircuitState = "closed" | "open" | "half-open";

/** Settings of a {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  readonly failureThreshold?: number;
  /** Successful probes in half-open state that close it again (default 2). */
  readonly successThreshold?: number;
  /** How long the circuit stays open before probing, milliseconds (default 60 000). */
  readonly openTimeoutMs?: number;
  /** Calls allowed in flight while half-open (default 1). */
  readonly halfOpenProbes?: number;
  /** Time source (default the system clock). */
  readonly clock?: Clock;
}

/** How a call that the breaker let through ended. `ignored` neither helps nor hurts (e.g. a refused order). */
export type CallOutcome = "success" | "failure" | "ignored";

/**
 * Stops calling an exchange that keeps failing, and probes it again after a cool-down.
 *
 * Call {@link CircuitBreaker.tryAcquire} before a call and {@link CircuitBreaker.release} exactly once after it.
 * Half-open admits at most `halfOpenProbes` concurrent calls; the reference let any number through.
 *
 * @example
 * if (!breaker.tryAcquire()) throw new Error("exchange unavailable");
 * try { const r = await call(); breaker.release("success"); return r; }
 * catch (e) { breaker.release("failure"); throw e; }
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #successThreshold: number;
  readonly #openTimeoutMs: number;
  readonly #halfOpenProbes: number;
  readonly #clock: Clock;
  #state: CircuitState = "closed";
  #failures = 0;
  #successes = 0;
  #openedAt = 0;
  #probesInFlight = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#failureThreshold = options.failureThreshold ?? 5;
    this.#successThreshold = options.successThreshold ?? 2;
    this.#openTimeoutMs = options.openTimeoutMs ?? 60_000;
    this.#halfOpenProbes = options.halfOpenProbes ?? 1;
    this.#clock = options.clock ?? systemClock;
  }

  /** The current state; an open circuit whose timeout has passed reports `half-open`. */
  get state(): CircuitState {
    if (this.#state === "open" && this.#clock.now() - this.#openedAt >= this.#openTimeoutMs) this.#toHalfOpen();
    return this.#state;
  }

  /** Asks to make a call. False means refuse it without sending. */
  tryAcquire(): boolean {
    switch (this.state) {
      case "closed":
        return true;
      case "open":
        return false;
      case "half-open":
        if (this.#probesInFlight >= this.#halfOpenProbes) return false;
        this.#probesInFlight += 1;
        return true;
    }
  }

  /** Records how an admitted call ended. */
  release(outcome: CallOutcome): void {
    const wasProbe = this.#state === "half-open" && this.#probesInFlight > 0;
    if (wasProbe) this.#probesInFlight -= 1;
    if (outcome === "ignored") return;
    if (outcome === "success") {
      if (this.#state === "closed") this.#failures = 0;
      else if (this.#state === "half-open" && ++this.#successes >= this.#successThreshold) this.reset();
      return;
    }
    if (this.#state === "half-open") this.#open();
    else if (this.#state === "closed" && ++this.#failures >= this.#failureThreshold) this.#open();
    else if (this.#state === "open") this.#openedAt = this.#clock.now();
  }

  /** Closes the circuit and clears its counters. */
  reset(): void {
    this.#state = "closed";
    this.#failures = 0;
    this.#successes = 0;
    this.#probesInFlight = 0;
  }

  #open(): void {
    this.#state = "open";
    this.#openedAt = this.#clock.now();
    this.#failures = 0;
    this.#successes = 0;
    this.#probesInFlight = 0;
  }

  #toHalfOpen(): void {
    this.#state = "half-open";
    this.#successes = 0;
    this.#probesInFlight = 0;
  }
}
