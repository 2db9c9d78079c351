// `node --import <this file>`: appends every module the process resolves, ESM (a resolve hook) and CommonJS
// (Module._resolveFilename), to the file named by TRADELOOM_MODULE_LOG. Used by the lazy-modules test and the
// cold-start benchmark to see what a command loads.
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";

const log = process.env.TRADELOOM_MODULE_LOG;
if (!log) throw new Error("module-log hook: set TRADELOOM_MODULE_LOG to the log file");
register(new URL("./loader.mjs", import.meta.url), { data: { log } });
const Module = createRequire(import.meta.url)("node:module");
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args);
  appendFileSync(log, `${resolved}\n`);
  return resolved;
};
