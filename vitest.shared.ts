import { defineConfig } from "vitest/config";

/** Shared vitest settings: tests resolve workspace packages to their TypeScript sources, no build needed. */
export default defineConfig({
  resolve: { conditions: ["@tradeloom/source", "import", "module", "node", "default"] },
  ssr: { resolve: { conditions: ["@tradeloom/source", "import", "module", "node", "default"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    passWithNoTests: true,
    hookTimeout: 60_000,
    server: { deps: { inline: [/@tradeloom\//] } },
  },
});
