import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.ts", "src/index.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  sourcemap: true,
  clean: true,
  target: "node20",
  splitting: true,
  // Less source to parse at start-up (the bundle holds zod); the source maps keep stack traces readable.
  minify: true,
  // The CLI is an application: bundling the engine packages and zod into a few chunks spares `backtest`'s cold start
  // the resolution and compilation of ~110 small modules. The optimizer (whose worker file must sit beside its own
  // build), the exchanges and the state store (heavy or native dependencies) stay external packages, loaded only by
  // the commands that use them.
  noExternal: [/^@tradeloom\/(types|oms|risk|strategies|backtester)(\/.*)?$/, "zod"],
});
