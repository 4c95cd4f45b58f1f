#!/usr/bin/env node
import { main } from "./cli.js";

// `dbgen … | head`: once the reader has gone, stop quietly. Every file is published before the
// first line is printed, so what was written is complete; nothing more is worth saying.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write("", () => resolve()));

const code = await main(process.argv.slice(2));
// Every command has finished its work (files published, databases closed) when main() returns. Exit
// now instead of when Node's event loop drains: after PGlite closes, V8 is still optimising its
// WebAssembly on background threads and Node waits for that before exiting, 0.2–0.3 s with nothing
// left to do.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
