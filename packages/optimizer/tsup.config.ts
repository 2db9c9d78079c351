import { defineConfig } from "tsup";

// worker.ts is a second entry: worker threads load plain JavaScript, found next to the built index.js.
export default defineConfig({
  entry: ["src/index.ts", "src/worker.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  sourcemap: true,
  clean: true,
  target: "node20",
});
