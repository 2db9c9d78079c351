import { defineConfig, type Options } from "tsup";

/** Build settings every library package shares: ESM with type declarations and source maps, for Node 20. */
export function library(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    ...overrides,
  });
}
