import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.ts", "src/index.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  sourcemap: true,
  clean: true,
  target: "node20",
  splitting: true,
  // The CLI is an application: bundling the workspace packages and zod into a few chunks spares the cold start the
  // resolution and compilation of ~110 small modules. Heavy or native dependencies stay external and are loaded only
  // by the commands that use them.
  noExternal: [/^@tradeloom\//, "zod", "big.js"],
  external: ["ccxt", "kiteconnect", "better-sqlite3", "tinypool"],
});
