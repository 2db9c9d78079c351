/**
 * Where a command writes and what it may read from its environment. The CLI passes the process's streams;
 * tests pass buffers.
 */
export interface CliIO {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on Ctrl-C: long-running commands stop cleanly and still report what they have. */
  readonly signal: AbortSignal;
}

/** A subcommand: parses its own arguments, returns the process exit code. */
export type CommandRun = (argv: string[], io: CliIO) => Promise<number>;
