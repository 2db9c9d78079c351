import type { Clock } from "./clock";

/** How often and how patiently a read is retried. */
export interface RetryPolicy {
  /** Total attempts including the first (default 4). */
  readonly maxAttempts: number;
  /** Delay before the second attempt, milliseconds, doubled for each further attempt (default 500). */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff delay, milliseconds (default 10 000). */
  readonly maxDelayMs: number;
  /** Longest `Retry-After` honoured, milliseconds; a longer demand fails the call instead (default 60 000). */
  readonly maxRetryAfterMs: number;
}

/** Defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

/**
 * Backoff before attempt `attempt + 1` (attempt counts from 1): exponential, capped, with "equal jitter": half the
 * delay is fixed, the other half random, so that clients that failed together do not retry together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** What {@link retry} needs besides the call. */
export interface RetryOptions {
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly random: () => number;
  readonly signal?: AbortSignal;
  /** Whether `error` (after attempt number `attempt`) is worth another attempt. */
  readonly shouldRetry: (error: unknown, attempt: number) => boolean;
  /** Wait demanded by the server for this error, if any (e.g. from `Retry-After`). */
  readonly retryAfterMs?: (error: unknown) => number | undefined;
}

/**
 * Runs `attempt` until it succeeds, `shouldRetry` says no, or the attempts run out; rethrows the last error.
 * Sleeps the server's `Retry-After` when it gave one (if within `maxRetryAfterMs`), else the jittered backoff.
 */
export async function retry<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, clock, signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (signal?.aborted || attempt >= policy.maxAttempts || !options.shouldRetry(error, attempt)) throw error;
      const asked = options.retryAfterMs?.(error);
      if (asked !== undefined && asked > policy.maxRetryAfterMs) throw error;
      const delay = Math.max(asked ?? 0, backoffDelay(policy, attempt, options.random));
      await clock.sleep(delay, signal);
    }
  }
}
