import type { CommandRun } from "../io";

/** `tradeloom optimize`: not yet implemented. */
export const run: CommandRun = async (_argv, io) => {
  io.stderr.write("tradeloom optimize: not yet implemented\n");
  return 1;
};
