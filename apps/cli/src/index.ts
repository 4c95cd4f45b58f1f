/** @dbgen/cli — the `dbgen` command line, also callable in-process. */
export { EXIT, main } from "./cli.js";
