// Bundles src/index.ts (and @tradeloom/types from source) into one ES module that plain `node` can import, so the
// crash test's child processes and the benchmark run the real store without a build step or a TypeScript loader.
// The bundle also exports Money: records must carry the bundle's own Money class, not another copy of it.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const requireHere = createRequire(join(packageDir, "package.json"));

// esbuild is not a dependency of this package: it comes with tsup, the workspace's build tool.
function loadEsbuild() {
  try {
    return requireHere("esbuild");
  } catch {
    return createRequire(requireHere.resolve("tsup"))("esbuild");
  }
}

/**
 * Writes the bundle of the store and Money to `outFile`. better-sqlite3 stays external (it is native) and is imported by absolute path,
 * so the bundle works from any directory, such as a temporary one.
 */
export async function bundleStateSource(outFile) {
  const betterSqlite = requireHere.resolve("better-sqlite3");
  await loadEsbuild().build({
    stdin: {
      contents: 'export * from "./src/index.ts"; export { Money } from "@tradeloom/types";',
      resolveDir: packageDir,
      sourcefile: "state-bundle-entry.ts",
      loader: "ts",
    },
    outfile: outFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@tradeloom/source"],
    logLevel: "error",
    plugins: [
      {
        name: "better-sqlite3-by-path",
        setup(build) {
          build.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: betterSqlite, external: true }));
        },
      },
    ],
  });
  return outFile;
}
