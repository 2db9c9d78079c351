import { ConfigError } from "@tradeloom/types";
import type { StrategyBuildContext, StrategyDefinition, StrategyFactory } from "./define-strategy";

/** Strategy definitions by name. Registering a name again replaces the earlier definition (as in the reference). */
export class StrategyRegistry {
  private readonly definitions = new Map<string, StrategyDefinition>();

  /** Adds or replaces a definition; returns the registry for chaining. */
  register<P>(definition: StrategyDefinition<P>): this {
    this.definitions.set(definition.name, definition);
    return this;
  }

  /** The definition registered under `name`, if any. */
  get(name: string): StrategyDefinition | undefined {
    return this.definitions.get(name);
  }

  /** True when `name` is registered. */
  has(name: string): boolean {
    return this.definitions.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.definitions.keys()];
  }

  /**
   * Validates a raw `strategy` config section once for strategy `name` and returns a factory of per-symbol instances.
   * @throws ConfigError (`strategy.name`) for an unknown name, listing the known ones; (`strategy.<field>`) for bad
   * parameters.
   */
  create(name: string, rawStrategySection: unknown, ctx: StrategyBuildContext): StrategyFactory {
    const definition = this.definitions.get(name);
    if (definition === undefined) {
      const known = this.names();
      throw new ConfigError(`unknown strategy ${JSON.stringify(name)}; known strategies: ${known.join(", ")}`, {
        path: "strategy.name",
        value: name,
        known,
      });
    }
    return definition.factory(rawStrategySection, ctx);
  }

  /**
   * Like {@link StrategyRegistry.create}, taking the name from the section's `name` field.
   * @throws ConfigError (`strategy.name`) when it is missing or not a string.
   */
  createFromSection(rawStrategySection: unknown, ctx: StrategyBuildContext): StrategyFactory {
    const name = typeof rawStrategySection === "object" && rawStrategySection !== null ? (rawStrategySection as { name?: unknown }).name : undefined;
    if (typeof name !== "string") {
      throw new ConfigError("strategy.name is required and must be a string", { path: "strategy.name", value: name });
    }
    return this.create(name, rawStrategySection, ctx);
  }
}
