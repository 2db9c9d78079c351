import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "..", "src");

/** Every non-test source file under `src`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

// Why (README, "Indicators in a strategy"): a `return NaN` that has not run when V8 optimises its caller makes every
// call of that function box its result on the heap; `Number.NaN` does not. The indicators are queried on every bar.
describe("absent values on return paths", () => {
  it("are written Number.NaN, never the global NaN", () => {
    const offenders: string[] = [];
    for (const file of sources(SRC)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/^\s*(\*|\/\/)/.test(line)) return;
          if (/(return|[?:]|=>)\s*NaN\b/.test(line.replace(/Number\.NaN/g, ""))) offenders.push(`${file.slice(SRC.length + 1)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
