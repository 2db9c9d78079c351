import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "../test/fixtures/temp-db";
import { writeFileAtomic } from "./atomic-file";

describe("writeFileAtomic", () => {
  it("creates or replaces the file whole and leaves no temporary file", () => {
    const dir = tempDir();
    const path = join(dir, "f.json");
    writeFileAtomic(path, "first ✓");
    expect(readFileSync(path, "utf8")).toBe("first ✓");
    writeFileSync(path, "x".repeat(100_000));
    writeFileAtomic(path, "second");
    expect(readFileSync(path, "utf8")).toBe("second");
    expect(readdirSync(dir)).toEqual(["f.json"]);
  });

  it("throws and cleans up its temporary file when the rename fails", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "keep"), "kept");
    expect(() => writeFileAtomic(join(dir, "sub"), "data")).toThrow(); // a directory cannot be replaced by a file
    expect(readdirSync(dir)).toEqual(["sub"]);
    expect(readFileSync(join(dir, "sub", "keep"), "utf8")).toBe("kept");
  });
});
