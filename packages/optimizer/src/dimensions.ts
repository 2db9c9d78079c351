import { ConfigError, Timeframe } from "@tradeloom/types";

/** A set of symbols backtested together as one portfolio. */
export type SymbolGroup = readonly string[];

/**
 * Groups from `--coins BTC,ETH,SOL`: every combination (order kept, no repetition) of `minCombo..maxCombo` coins,
 * smaller groups first, each coin upper-cased and suffixed with `INR` (the data files' naming).
 * @throws ConfigError for an empty coin name or sizes that produce no group.
 */
export function coinGroups(coins: string, minCombo = 1, maxCombo?: number): SymbolGroup[] {
  const names = coins.split(",").map((c) => c.trim().toUpperCase());
  if (names.some((c) => c === "")) throw new ConfigError(`--coins ${JSON.stringify(coins)}: empty coin name`, { path: "--coins" });
  const max = Math.min(maxCombo ?? names.length, names.length);
  const min = Math.max(minCombo, 1);
  const groups: SymbolGroup[] = [];
  for (let size = min; size <= max; size++) {
    const pick = (start: number, acc: string[]): void => {
      if (acc.length === size) {
        groups.push(acc.map((c) => `${c}INR`));
        return;
      }
      for (let i = start; i < names.length; i++) pick(i + 1, [...acc, names[i]!]);
    };
    pick(0, []);
  }
  if (groups.length === 0) throw new ConfigError(`--coins: no group of ${min}..${max} coins out of ${names.length}`, { path: "--coins" });
  return groups;
}

/** Groups from `--symbols "BTCINR,ETHINR;SOLINR"`: `;` separates groups, `,` symbols; upper-cased, empties dropped. */
export function symbolGroups(spec: string): SymbolGroup[] {
  const groups = spec
    .split(";")
    .map((g) =>
      g
        .split(",")
        .map((s) => s.trim().toUpperCase())
        .filter((s) => s !== ""),
    )
    .filter((g) => g.length > 0);
  if (groups.length === 0) throw new ConfigError(`--symbols ${JSON.stringify(spec)}: no symbols`, { path: "--symbols" });
  return groups;
}

/** A group's display name: symbols without `INR`, joined with `+` (`BTC+ETH`). */
export function groupName(group: SymbolGroup): string {
  return group.map((s) => s.replaceAll("INR", "")).join("+");
}

/**
 * Timeframes from `--timeframes 1h,4h,1d` (trimmed, duplicates dropped), validated.
 * @throws ConfigError for an invalid label.
 */
export function timeframeList(spec: string): string[] {
  const out: string[] = [];
  for (const raw of spec.split(",")) {
    const tf = raw.trim();
    if (tf === "") continue;
    Timeframe.parse(tf);
    if (!out.includes(tf)) out.push(tf);
  }
  if (out.length === 0) throw new ConfigError(`--timeframes ${JSON.stringify(spec)}: no timeframe`, { path: "--timeframes" });
  return out;
}
