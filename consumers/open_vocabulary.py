"""Writes the consumers' view of the envelope schema, which the type generators read.

The schema in shared/schema describes what the receivers write, with closed lists of channels,
event kinds and message types. A consumer must also read envelopes from receivers newer than
itself, so in this view each of those lists becomes a named union: a known value, or any other
string (the catch-all). The `event_id` pattern, which names each channel, takes any channel
name likewise. Nothing else changes.

Usage: python3 open_vocabulary.py SCHEMA {python|typescript} OUTPUT
"""

import json
import sys

# TypeScript keeps the known names for completion with `KnownX | (string & {})`: a plain
# `| string` would swallow them.
OTHER_TEXT = {
    "python": {"type": "string"},
    "typescript": {"type": "string", "tsType": "(string & {})"},
}


def open_vocabulary(schema: dict, language: str) -> dict:
    defs = schema["$defs"]
    properties = schema["properties"]
    channels = properties["channel"]["enum"]

    def open_list(name: str, known: dict) -> dict:
        defs[f"known_{name}"] = known
        defs[name] = {"anyOf": [{"$ref": f"#/$defs/known_{name}"}, dict(OTHER_TEXT[language])]}
        return {"$ref": f"#/$defs/{name}"}

    properties["channel"] = open_list("channel", properties["channel"])
    properties["event"] = open_list("event_kind", properties["event"])
    message_type = defs.pop("message_type")
    open_list("message_type", message_type)

    any_channel = "(" + "|".join(channels) + ")"
    pattern = properties["event_id"]["pattern"]
    if any_channel not in pattern:
        raise SystemExit(f"the event_id pattern no longer starts with {any_channel}: {pattern}")
    properties["event_id"]["pattern"] = pattern.replace(any_channel, "[a-z0-9_]+", 1)
    schema["title"] = "Envelope"
    return schema


def main() -> None:
    source, language, output = sys.argv[1:4]
    with open(source, encoding="utf-8") as file:
        schema = json.load(file)
    with open(output, "w", encoding="utf-8") as file:
        json.dump(open_vocabulary(schema, language), file, indent=2)
        file.write("\n")


if __name__ == "__main__":
    main()
