#!/usr/bin/env node
// Reads envelopes as JSON Lines on stdin (the spool of `receivers serve`, a dump of the queue)
// and writes each back, re-serialized, on stdout; exits 1 at the first line that is not one.

import { createInterface } from "node:readline";

import { parseEnvelope, serializeEnvelope } from "./index.js";

let number = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  number += 1;
  if (line.trim() === "") {
    continue;
  }
  try {
    process.stdout.write(serializeEnvelope(parseEnvelope(line)) + "\n");
  } catch (error) {
    process.stderr.write(`line ${number}: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
