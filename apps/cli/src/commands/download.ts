import type { CommandRun } from "../io";

/** `tradeloom download`: not yet implemented. */
export const run: CommandRun = async (_argv, io) => {
  io.stderr.write("tradeloom download: not yet implemented\n");
  return 1;
};
