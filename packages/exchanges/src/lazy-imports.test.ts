import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("heavy dependencies", () => {
  it("ccxt and kiteconnect are only ever imported dynamically, so CoinDCX users never load them", async () => {
    const files = (await readdir(import.meta.dirname, { recursive: true })).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    for (const f of files) {
      const src = await readFile(join(import.meta.dirname, f), "utf8");
      expect(src, f).not.toMatch(/^import (?!type )[^;]*from "(ccxt|kiteconnect)"/m);
    }
  });
});
