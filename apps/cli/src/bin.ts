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

process.exitCode = await main(process.argv.slice(2));
