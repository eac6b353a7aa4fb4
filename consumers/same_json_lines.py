"""Checks that a consumer wrote back every envelope it read as the same JSON.

Usage: python3 same_json_lines.py EXPECTED ACTUAL [SOURCES]

EXPECTED and ACTUAL are JSON Lines files; line n of ACTUAL must hold the same JSON value as line
n of EXPECTED: the same keys in any order, the same strings, booleans and nulls, and numbers of
the same value however they are written (`1.0` and `1` alike, but `true` is not `1`). SOURCES,
one line per envelope, names where each came from in the report. Exits 1 on any difference, on
a different number of lines, and on no lines at all.
"""

import json
import sys
from decimal import Decimal


def difference(expected, actual, path="$"):
    """Where the two values first differ, or None."""
    numbers = (int, Decimal)
    if isinstance(expected, bool) or isinstance(actual, bool):
        same = type(expected) is type(actual) and expected == actual
        return None if same else path
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        return None if expected == actual else path
    if type(expected) is not type(actual):
        return path
    if isinstance(expected, dict):
        if expected.keys() != actual.keys():
            return f"{path} (keys {sorted(expected.keys() ^ actual.keys())})"
        for key in expected:
            found = difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return f"{path} (length)"
        for index, (left, right) in enumerate(zip(expected, actual)):
            found = difference(left, right, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if expected == actual else path


def read_lines(path):
    with open(path, encoding="utf-8") as file:
        return [line for line in file.read().split("\n") if line.strip()]


def main() -> int:
    expected, actual = read_lines(sys.argv[1]), read_lines(sys.argv[2])
    sources = read_lines(sys.argv[3]) if len(sys.argv) > 3 else []
    if not expected:
        print(f"{sys.argv[1]}: no envelopes to compare", file=sys.stderr)
        return 1
    if len(expected) != len(actual):
        print(f"{len(expected)} envelopes in, {len(actual)} out", file=sys.stderr)
        return 1
    failures = 0
    for number, (left, right) in enumerate(zip(expected, actual), start=1):
        parse = lambda text: json.loads(text, parse_float=Decimal)  # noqa: E731
        found = difference(parse(left), parse(right))
        if found:
            failures += 1
            if failures > 20:
                continue
            source = sources[number - 1] if number <= len(sources) else f"line {number}"
            print(f"{source}: differs at {found}", file=sys.stderr)
    if failures:
        print(f"{failures} of {len(expected)} envelopes changed", file=sys.stderr)
        return 1
    print(f"{len(expected)} envelopes written back unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
