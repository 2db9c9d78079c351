import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleStateSource } from "../scripts/bundle-source.mjs";

/** The child script shared by the crash and lock tests. */
export const CHILD_SCRIPT = fileURLToPath(new URL("./fixtures/state-child.mjs", import.meta.url));

/** Bundles the store's source into a fresh temporary directory and returns the bundle's path. */
export async function bundleForChildren(): Promise<string> {
  return bundleStateSource(join(mkdtempSync(join(tmpdir(), "tradeloom-state-bundle-")), "state.mjs"));
}

/** A running child with every stdout line it printed so far. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves once a line matching `pattern` was printed (rejects if the child exits first). */
  waitFor(pattern: RegExp): Promise<string>;
  /** Resolves when the child has exited and its output is fully read. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `node state-child.mjs <bundle> <db> <mode>`. */
export function startChild(bundle: string, dbPath: string, mode: "crash-loop" | "hold"): Child {
  const proc = spawn(process.execPath, [CHILD_SCRIPT, bundle, dbPath, mode], { stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  const waiters: { pattern: RegExp; resolve: (l: string) => void; reject: (e: Error) => void }[] = [];
  proc.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  proc.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.on("close", (code, signal) => {
      // A line cut by SIGKILL was never fully reported, so it does not count as reported.
      for (const w of waiters.splice(0)) w.reject(new Error(`child exited (${code ?? signal}) before printing ${w.pattern}: ${stderr}`));
      resolve({ code, signal, stderr });
    }),
  );
  return {
    process: proc,
    lines,
    exited,
    waitFor: (pattern) => {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject }));
    },
  };
}
