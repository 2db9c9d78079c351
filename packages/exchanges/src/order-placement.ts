import { ExchangeError } from "./errors";
import type { Resilience } from "./resilience";

/** The exchange-specific steps of {@link placeOrderSafely}. */
export interface OrderPlacementSteps<O> {
  /** Sends the order once. Must not retry by itself. */
  readonly send: (signal?: AbortSignal) => Promise<O>;
  /**
   * Finds the order by its client order id. Resolves `undefined` only when the exchange says for certain that no
   * such order exists; any doubt must throw.
   */
  readonly lookup: (signal?: AbortSignal) => Promise<O | undefined>;
}

/** Settings of {@link placeOrderSafely}. */
export interface OrderPlacementOptions {
  readonly resilience: Resilience;
  readonly clientOrderId: string;
  /** Most sends of one order (default 2): the first plus re-sends after confirmed absence or a 429. */
  readonly maxSends?: number;
  /** Pause before looking up an ambiguously failed order, so a slow exchange has booked it (default 1000 ms). */
  readonly settleMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Places an order without ever placing it twice.
 *
 * An order send is never retried blindly. After an ambiguous failure (timeout, dropped connection, 5xx, unreadable
 * answer) the order is looked up by its client order id: if it exists it is returned; only if the exchange confirms
 * it is absent is it sent again. A 429 is a definite refusal and is re-sent after the requested wait. If the lookup
 * itself fails, the outcome is unknown and `EXCHANGE_ORDER_UNCERTAIN` is thrown.
 */
export async function placeOrderSafely<O>(steps: OrderPlacementSteps<O>, options: OrderPlacementOptions): Promise<O> {
  const { resilience, clientOrderId, signal } = options;
  const maxSends = options.maxSends ?? 2;
  const settleMs = options.settleMs ?? 1000;
  for (let sendNo = 1; ; sendNo++) {
    try {
      return await resilience.once("placeOrder", steps.send, signal);
    } catch (error) {
      if (!(error instanceof ExchangeError) || signal?.aborted) throw error;
      if (error.code === "EXCHANGE_RATE_LIMIT" && sendNo < maxSends) {
        const wait = error.retryAfterMs ?? resilience.policy.baseDelayMs;
        if (wait > resilience.policy.maxRetryAfterMs) throw error;
        await resilience.sleep(wait, signal);
        continue;
      }
      if (!error.ambiguous) throw error;
      await resilience.sleep(settleMs, signal);
      let found: O | undefined;
      try {
        found = await resilience.read("lookupOrder", steps.lookup, signal);
      } catch (lookupError) {
        throw new ExchangeError(
          "EXCHANGE_ORDER_UNCERTAIN",
          `${resilience.exchange}: order ${clientOrderId} may or may not have been placed (${error.message}); its lookup failed too`,
          { exchange: resilience.exchange, operation: "placeOrder", clientOrderId, ambiguous: true, sendError: error.code },
          { cause: lookupError },
        );
      }
      if (found !== undefined) return found;
      if (sendNo >= maxSends) {
        throw new ExchangeError(error.code, `${error.message} (order confirmed not placed)`, {
          ...(error.context as { exchange: string }),
          ambiguous: false,
          clientOrderId,
        }, { cause: error });
      }
    }
  }
}
