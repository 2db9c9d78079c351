import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "@tradeloom/types";
import type { StrategyDefinition, StrategyRegistry } from "@tradeloom/strategies";

function entryOfPackageDir(dir: string): string | undefined {
  const pj = join(dir, "package.json");
  if (!existsSync(pj)) return undefined;
  const pkg = JSON.parse(readFileSync(pj, "utf8")) as { exports?: unknown; module?: string; main?: string };
  const dot = typeof pkg.exports === "object" && pkg.exports !== null && "." in pkg.exports ? (pkg.exports as Record<string, unknown>)["."] : pkg.exports;
  const target =
    typeof dot === "string"
      ? dot
      : typeof dot === "object" && dot !== null
        ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default)
        : undefined;
  const rel = typeof target === "string" ? target : (pkg.module ?? pkg.main ?? "index.js");
  return join(dir, rel);
}

/**
 * Finds the module file of a strategy pack: a path (file or package directory, relative to `baseDir`) or a package
 * name looked up in `node_modules` from `baseDir` upward.
 */
export function resolvePack(spec: string, baseDir: string): string {
  const looksLikePath = spec.startsWith(".") || isAbsolute(spec);
  if (looksLikePath) {
    const p = resolve(baseDir, spec);
    if (existsSync(p) && statSync(p).isDirectory()) {
      const entry = entryOfPackageDir(p);
      if (entry && existsSync(entry)) return entry;
      throw new ConfigError(`strategy pack ${spec}: no built entry in ${p} (run its build first)`, { path: "strategy.module", value: spec });
    }
    if (existsSync(p)) return p;
    throw new ConfigError(`strategy pack ${spec}: no such file or directory (${p})`, { path: "strategy.module", value: spec });
  }
  for (let dir = resolve(baseDir); ; dir = dirname(dir)) {
    const entry = entryOfPackageDir(join(dir, "node_modules", spec));
    if (entry && existsSync(entry)) return entry;
    if (dirname(dir) === dir) break;
  }
  throw new ConfigError(`strategy pack ${JSON.stringify(spec)} is not installed (looked in node_modules from ${baseDir} upward)`, {
    path: "strategy.module",
    value: spec,
  });
}

function isDefinition(x: unknown): x is StrategyDefinition {
  return typeof x === "object" && x !== null && typeof (x as StrategyDefinition).name === "string" && typeof (x as StrategyDefinition).factory === "function";
}

/**
 * Imports a strategy pack and registers its definitions. A pack exports its definitions as the default export or as
 * `strategies` (an array or a single definition). Returns the names registered.
 */
export async function loadPack(spec: string, baseDir: string, registry: StrategyRegistry): Promise<string[]> {
  const file = resolvePack(spec, baseDir);
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; strategies?: unknown };
  const raw = mod.strategies ?? mod.default;
  const defs = Array.isArray(raw) ? raw : [raw];
  if (defs.length === 0 || !defs.every(isDefinition)) {
    throw new ConfigError(`strategy pack ${spec} (${file}) exports no strategy definitions: export default [defineStrategy(...)]`, {
      path: "strategy.module",
      value: spec,
    });
  }
  for (const d of defs) registry.register(d);
  return defs.map((d) => d.name);
}
