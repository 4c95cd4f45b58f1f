/**
 * The fault-injection test hook every all-or-nothing step shares: `DBGEN_FAULT=STEP:N` kills the
 * process with SIGKILL after N units of STEP (`stage`/`publish` files in the write step, `unpack`
 * files while a new embedded database is made). Its own entry point (`@dbgen/project/fault`), so a
 * package that only needs the hook loads nothing else.
 */
export function faultAt(step: string, done: number): void {
  if (process.env.DBGEN_FAULT === `${step}:${done}`) process.kill(process.pid, "SIGKILL");
}
