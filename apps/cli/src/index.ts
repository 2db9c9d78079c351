export { main } from "./main";
export type { CliIO, CommandRun } from "./io";
