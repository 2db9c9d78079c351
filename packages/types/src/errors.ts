/**
 * Base class of every error Tradeloom throws on purpose.
 *
 * `code` is stable across releases, so callers branch on it rather than on the message. `context` carries what a
 * user needs to find the cause (file, line, field path, symbol, ...).
 */
export class TradeloomError extends Error {
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: string;
  /** Structured details for the user: where the problem is and what was seen. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, context: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.context = Object.freeze({ ...context });
  }
}

/** A configuration value is missing, of the wrong type or out of range. `context.path` names the field. */
export class ConfigError extends TradeloomError {
  constructor(message: string, context: { path?: string; file?: string } & Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super("CONFIG_INVALID", message, context, options);
  }
}

/** Market data cannot be used: missing file, malformed row, bad ordering. `context` names the file and line. */
export class DataError extends TradeloomError {
  constructor(
    code: "DATA_MISSING" | "DATA_MALFORMED" | "DATA_ORDER" | "DATA_EMPTY",
    message: string,
    context: { file?: string; line?: number; symbol?: string } & Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}

/** An order was refused by the order management system (bad state transition, unpaid buy, bad quantity). */
export class OrderError extends TradeloomError {
  constructor(
    code: "ORDER_INVALID" | "ORDER_STATE" | "ORDER_NOT_FOUND",
    message: string,
    context: Record<string, unknown> = {},
  ) {
    super(code, message, context);
  }
}
