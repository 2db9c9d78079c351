import { TradeloomError } from "@tradeloom/types";
import type { CliIO, CommandRun } from "./io";

// Each command is imported only when used, so `backtest` never loads ccxt, better-sqlite3 or kiteconnect.
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run: CommandRun }> }> = {
  backtest: { summary: "run a backtest of a config on CSV data", load: () => import("./commands/backtest") },
  optimize: { summary: "grid-search a config's parameters on worker threads", load: () => import("./commands/optimize") },
  "kite-login": { summary: "exchange a Zerodha Kite request token for an access token", load: () => import("./commands/kite-login") },
  download: { summary: "download candles from an exchange into CSV files", load: () => import("./commands/download") },
};

const USAGE = `Usage: tradeloom <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run 'tradeloom <command> --help' for a command's options.
`;

/** Runs the CLI with `argv` (without node and script path). Returns the exit code; never throws for user errors. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write("tradeloom 0.1.0\n");
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.stderr.write(`tradeloom: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    const mod = await cmd.load();
    return await mod.run(rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}

function isCodedError(err: unknown): err is TradeloomError {
  if (!(err instanceof Error)) return false;
  const { code, context } = err as Error & { code?: unknown; context?: unknown };
  return typeof code === "string" && /^[A-Z_]+$/.test(code) && typeof context === "object" && context !== null;
}

/** Prints a user error without a stack trace and returns the exit code for it. */
export function reportError(err: unknown, io: CliIO): number {
  // Duck-typed as well as instanceof: a strategy pack brings its own copy of @tradeloom/types, whose error classes
  // are not the CLI's bundled ones.
  if (err instanceof TradeloomError || isCodedError(err)) {
    const ctx = Object.entries(err.context)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
      .join(" ");
    io.stderr.write(`error [${err.code}]: ${err.message}${ctx ? `\n  (${ctx})` : ""}\n`);
    return err.code.startsWith("CONFIG") || err.code === "USAGE" ? 2 : 1;
  }
  if (err instanceof Error && (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    io.stderr.write(`error [USAGE]: ${err.message}\n`);
    return 2;
  }
  throw err;
}
