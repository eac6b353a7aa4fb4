"""Reads envelopes as JSON Lines on stdin (the spool of `receivers serve`, a dump of the queue)
and writes each back, re-serialized, on stdout; exits 1 at the first line that is not one."""

import sys

from . import parse, to_json


def main() -> int:
    for number, line in enumerate(sys.stdin.buffer, start=1):
        if not line.strip():
            continue
        try:
            envelope = parse(line)
        except ValueError as err:
            print(f"line {number}: {err}", file=sys.stderr)
            return 1
        sys.stdout.buffer.write(to_json(envelope).encode() + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
