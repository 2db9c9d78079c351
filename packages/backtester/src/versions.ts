import backtester from "../package.json" with { type: "json" };

/** Versions of the packages this build of the backtester was made with. */
export const VERSIONS: Readonly<Record<string, string>> = Object.freeze({ [backtester.name]: backtester.version });
