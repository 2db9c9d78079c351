import { PassThrough } from "node:stream";
import { main } from "../src/main";

/** Runs the CLI in-process with captured output. */
export async function runCli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d: Buffer) => (stdout += d.toString()));
  err.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await main(argv, { stdout: out, stderr: err, env: {}, cwd, signal: new AbortController().signal });
  return { code, stdout, stderr };
}
