import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { ConfigError } from "@tradeloom/types";
import type { SymbolGroup } from "./dimensions";
import { Grid } from "./grid";
import type { JsonValue } from "./json";
import type { RunOutcome } from "./protocol";
import type { RunMetrics, SortMetric } from "./ranking";
import { Accumulator, type OptimizeReport } from "./report";
import { RunSpace } from "./run-space";
import { type Shard, WHOLE } from "./shard";

/** Format tag of results files. */
export const RESULTS_FORMAT = "tradeloom-optimize-results/1";

/** First line of a results file: what was run, so shards can be checked and merged without the config. */
export interface ResultsHeader {
  readonly type: "header";
  readonly format: typeof RESULTS_FORMAT;
  /** Hash of everything that decides the results (see {@link searchSpace}); equal across the shards of one search. */
  readonly fingerprint: string;
  readonly shard: Shard;
  readonly totalRuns: number;
  readonly sortBy: SortMetric;
  readonly top: number;
  readonly minTrades: number;
  readonly holdout: number;
  readonly grid: { readonly keys: readonly string[]; readonly values: readonly (readonly JsonValue[])[] };
  readonly groups: readonly SymbolGroup[];
  readonly timeframes: readonly string[];
  /** Date filter (UTC ms) or null. */
  readonly start: number | null;
  readonly end: number | null;
}

/** JSON with ±∞ and NaN written as strings (a profit factor without losses is +∞). */
function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

function numbers<T>(o: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === "string" ? Number(v) : v])) as T;
}

/**
 * Writes a results file as JSON lines: a header, one line per run (`result` or `failure`), one `oos` line per holdout
 * check, and a closing `done` line; a file without it is incomplete and cannot be merged.
 */
export class ResultsWriter {
  private readonly out: WriteStream;

  private constructor(out: WriteStream) {
    this.out = out;
  }

  /** Creates (or truncates) `path` and writes the header. */
  static async open(path: string, header: ResultsHeader): Promise<ResultsWriter> {
    await mkdir(dirname(path), { recursive: true });
    const w = new ResultsWriter(createWriteStream(path));
    w.line(header);
    return w;
  }

  private line(value: unknown): void {
    this.out.write(`${encode(value)}\n`);
  }

  /** Records one run's outcome. */
  outcome(o: RunOutcome): void {
    if ("error" in o) this.line({ type: "failure", index: o.index, reason: o.error });
    else this.line({ type: "result", index: o.index, metrics: o.metrics, moments: o.moments });
  }

  /** Records the holdout metrics of a top run. */
  outOfSample(index: number, metrics: RunMetrics): void {
    this.line({ type: "oos", index, metrics });
  }

  /** Writes the closing line (unless interrupted) and flushes the file. */
  async close(report: OptimizeReport): Promise<void> {
    if (!report.interrupted) this.line({ type: "done", runs: report.completedRuns, elapsedMs: report.elapsedMs });
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** The header of the merged files and the combined report. */
export interface MergedResults {
  readonly header: ResultsHeader;
  readonly report: OptimizeReport;
}

/**
 * Combines the results files of every shard of one search into the report a single run would have produced.
 * @throws ConfigError when files belong to different searches, a shard is missing, repeated or incomplete.
 */
export async function mergeResults(paths: readonly string[]): Promise<MergedResults> {
  if (paths.length === 0) throw new ConfigError("merge: give the results files of every shard", { path: "FILES" });
  let header: ResultsHeader | undefined;
  let acc: Accumulator | undefined;
  const seen = new Set<number>();
  const oos = new Map<number, RunMetrics>();
  let elapsedMs = 0;
  for (const path of paths) {
    let fileHeader: ResultsHeader | undefined;
    let done = false;
    let runs = 0;
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const text of lines) {
      if (text.trim() === "") continue;
      const rec = JSON.parse(text) as Record<string, unknown>;
      if (fileHeader === undefined) {
        if (rec.type !== "header" || rec.format !== RESULTS_FORMAT) throw new ConfigError(`${path}: not a Tradeloom results file`, { file: path });
        fileHeader = rec as unknown as ResultsHeader;
        if (header === undefined) {
          header = fileHeader;
          const grid = Grid.fromSection(Object.fromEntries(header.grid.keys.map((k, i) => [k, header!.grid.values[i]])));
          acc = new Accumulator(new RunSpace(grid, header.groups, header.timeframes), header.sortBy, header.top, header.minTrades);
        } else if (fileHeader.fingerprint !== header.fingerprint || fileHeader.shard.count !== header.shard.count) {
          throw new ConfigError(`${path}: results of a different search (config, grid, options or shard count differ)`, { file: path });
        }
        if (seen.has(fileHeader.shard.index)) throw new ConfigError(`${path}: shard ${fileHeader.shard.index}/${fileHeader.shard.count} given twice`, { file: path });
        seen.add(fileHeader.shard.index);
        continue;
      }
      if (rec.type === "result") {
        acc!.add({ index: rec.index as number, metrics: numbers<RunMetrics>(rec.metrics as Record<string, unknown>), moments: numbers(rec.moments as Record<string, unknown>) });
        runs++;
      } else if (rec.type === "failure") {
        acc!.add({ index: rec.index as number, error: String(rec.reason) });
        runs++;
      } else if (rec.type === "oos") oos.set(rec.index as number, numbers<RunMetrics>(rec.metrics as Record<string, unknown>));
      else if (rec.type === "done") {
        done = rec.runs === runs;
        elapsedMs = Math.max(elapsedMs, Number(rec.elapsedMs) || 0);
      }
    }
    if (fileHeader === undefined) throw new ConfigError(`${path}: empty results file`, { file: path });
    if (!done) throw new ConfigError(`${path}: shard ${fileHeader.shard.index}/${fileHeader.shard.count} is incomplete (interrupted or still running)`, { file: path });
  }
  const h = header!;
  const missing = Array.from({ length: h.shard.count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new ConfigError(`merge: missing shard(s) ${missing.map((i) => `${i}/${h.shard.count}`).join(", ")}`, { path: "FILES" });
  const report = acc!.report({ shard: WHOLE, plannedRuns: h.totalRuns, interrupted: false, holdout: h.holdout, elapsedMs, outOfSample: oos });
  return { header: h, report };
}
