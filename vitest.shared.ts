import { defineConfig } from "vitest/config";

/** Shared vitest settings: tests resolve workspace packages to their TypeScript sources. */
export default defineConfig({
  resolve: { conditions: ["@tradeloom/source"] },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
