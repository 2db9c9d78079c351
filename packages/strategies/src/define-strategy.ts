import type { z } from "zod";
import type { Timeframe } from "@tradeloom/types";
import type { Strategy } from "./strategy";
import { parseParams } from "./params";

/** What a strategy instance is built for: one symbol on the run's primary timeframe. */
export interface StrategyInstanceContext {
  readonly symbol: string;
  readonly timeframe: Timeframe;
}

/** What the run tells a definition before any symbol is known. */
export interface StrategyBuildContext {
  readonly timeframe: Timeframe;
}

/** Builds the strategy instance of one symbol from parameters validated once. */
export type StrategyFactory = (symbol: string) => Strategy;

/** A named, parameterised strategy: its parameter schema and how to build one instance per symbol. */
export interface StrategyDefinition<P = unknown> {
  /** Registry key, matched against `strategy.name` in configs. */
  readonly name: string;
  /** One line for humans (CLI listings). */
  readonly description: string;
  /** Parameter schema; its output is what {@link StrategyDefinition.create} receives. */
  readonly schema: z.ZodType<P>;
  /**
   * Validates a raw `strategy` config section.
   * @throws ConfigError with `context.path` like `strategy.atr_period`.
   */
  parse(raw: unknown): P;
  /** A new instance for one symbol. Instances never share mutable state. */
  create(params: P, ctx: StrategyInstanceContext): Strategy;
  /**
   * Validates `raw` once and returns a factory making one instance per symbol.
   * @throws ConfigError when `raw` is invalid.
   */
  factory(raw: unknown, ctx: StrategyBuildContext): StrategyFactory;
}

/** The input of {@link defineStrategy}. */
export interface StrategySpec<P> {
  readonly name: string;
  readonly description?: string;
  readonly schema: z.ZodType<P>;
  create(params: P, ctx: StrategyInstanceContext): Strategy;
}

/**
 * Declares a strategy for a {@link StrategyRegistry}.
 *
 * @example
 * const def = defineStrategy({
 *   name: "always_long",
 *   schema: z.object({ stop_pct: z.number().default(0.02) }),
 *   create: (p) => new AlwaysLong(p.stop_pct),
 * });
 */
export function defineStrategy<P>(spec: StrategySpec<P>): StrategyDefinition<P> {
  if (spec.name.length === 0) throw new TypeError("defineStrategy: name must not be empty");
  const parse = (raw: unknown): P => parseParams(spec.schema, raw);
  return Object.freeze({
    name: spec.name,
    description: spec.description ?? "",
    schema: spec.schema,
    parse,
    create: (params: P, ctx: StrategyInstanceContext) => spec.create(params, ctx),
    factory: (raw: unknown, ctx: StrategyBuildContext): StrategyFactory => {
      const params = parse(raw);
      return (symbol) => spec.create(params, { symbol, timeframe: ctx.timeframe });
    },
  });
}
