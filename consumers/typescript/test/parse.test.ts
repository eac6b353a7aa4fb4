// parseEnvelope and serializeEnvelope on envelopes as the receivers write them, and as newer
// receivers may.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { parse, stringify } from "lossless-json";

import {
  EnvelopeError,
  REQUIRED_FIELDS,
  UnsupportedVersionError,
  parseEnvelope,
  serializeEnvelope,
  type Envelope,
  type KnownEventKind,
} from "../src/index.js";

// This file runs as build-test/test/parse.test.js, four levels below the repository.
const repository = new URL("../../../../", import.meta.url);
const cli = fileURLToPath(new URL("../src/cli.js", import.meta.url));

// A Viber picture message as its receiver writes it; the message token is above 2^53.
const VIBER =
  '{"version":1,"channel":"viber","bot":"demo","chat_id":"01234567890A=","event":"message",' +
  '"message":{"id":"4912661846655238145","type":"image","text":"a cat",' +
  '"attachments":[{"type":"image","url":"https://example.test/cat.jpg","size":52000}],' +
  '"location":{"lat":52.52,"lon":13.405}},' +
  '"user":{"id":"01234567890A=","name":"Ann","language":"en"},' +
  '"event_id":"viber:demo:4912661846655238145","timestamp":"2016-03-12T07:49:57.627Z",' +
  '"received_at":"2026-11-24T13:00:01.120Z",' +
  '"raw":{"event":"message","message_token":4912661846655238145,"silent":false,"n":1.5}}';

/** VIBER as a newer receiver may write it (its numbers kept as written). */
function newer(change: (value: any) => void): string {
  const value = parse(VIBER);
  change(value);
  return stringify(value)!;
}

test("an envelope reads into the generated types, big integers exactly", () => {
  const envelope = parseEnvelope(VIBER);
  assert.equal(envelope.channel, "viber");
  assert.equal(envelope.message.attachments[0]?.size, 52000);
  assert.equal(envelope.message.location?.lat, 52.52);
  assert.deepEqual((envelope.raw as { message_token: unknown }).message_token, 4912661846655238145n);
  assert.equal(envelope.ref, undefined);
});

test("serializeEnvelope writes back the same JSON, digits included", () => {
  assert.equal(serializeEnvelope(parseEnvelope(VIBER)), VIBER);
});

const newerValues: [string, (value: any) => void, (envelope: Envelope) => string][] = [
  ["event", (v) => (v.event = "poll_closed"), (e) => e.event],
  ["channel", (v) => ((v.channel = "line"), (v.event_id = "line:demo:1")), (e) => e.channel],
  ["message type", (v) => (v.message.type = "hologram"), (e) => e.message.type],
  ["attachment type", (v) => (v.message.attachments = [{ type: "hologram" }]), (e) => e.message.attachments[0]!.type],
];

for (const [what, change, read] of newerValues) {
  test(`a newer ${what} reads as its text and writes back unchanged`, () => {
    const text = newer(change);
    const envelope = parseEnvelope(text);
    assert.ok(["poll_closed", "line", "hologram"].includes(read(envelope)));
    assert.equal(serializeEnvelope(envelope), text);
  });
}

test("fields added later are kept", () => {
  const text = newer((v) => ((v.added_later = { n: 1 }), (v.message.added_later = true)));
  const written = JSON.parse(serializeEnvelope(parseEnvelope(text)));
  assert.deepEqual(written.added_later, { n: 1 });
  assert.equal(written.message.added_later, true);
});

test("an unknown event falls to the default of a switch", () => {
  function route(envelope: Envelope): string {
    switch (envelope.event) {
      case "message":
      case "edited":
        return "text";
      case "callback":
        return "button";
      default:
        return "later";
    }
  }
  const kinds: (KnownEventKind | "poll_closed")[] = ["message", "callback", "poll_closed"];
  assert.deepEqual(
    kinds.map((kind) => route(parseEnvelope(newer((v) => (v.event = kind))))),
    ["text", "button", "later"],
  );
});

test("another version is refused as such", () => {
  for (const version of [2, 0, "1", true, null]) {
    assert.throws(
      () => parseEnvelope(newer((v) => (v.version = version))),
      (error: unknown) => error instanceof UnsupportedVersionError && error.version === version,
    );
  }
});

test("what is not an envelope is an EnvelopeError", () => {
  const broken = [
    "not json",
    "[1]",
    newer((v) => delete v.chat_id),
    newer((v) => delete v.raw),
    newer((v) => (v.event = 7)),
    newer((v) => delete v.message.attachments),
    newer((v) => (v.message.attachments = [{ url: "https://example.test/no-type" }])),
  ];
  for (const text of broken) {
    assert.throws(() => parseEnvelope(text), EnvelopeError, text);
  }
});

test("the required fields are the schema's", () => {
  const schema = JSON.parse(readFileSync(new URL("shared/schema/envelope.schema.json", repository), "utf8"));
  assert.deepEqual([...REQUIRED_FIELDS].sort(), [...schema.required].sort());
});

test("the command writes back each line and stops at the first that is not an envelope", () => {
  const good = spawnSync(process.execPath, [cli], { input: `${VIBER}\n\n${newer((v) => (v.event = "poll_closed"))}\n` });
  assert.equal(good.status, 0, good.stderr.toString());
  const events = good.stdout.toString().trim().split("\n").map((line) => JSON.parse(line).event);
  assert.deepEqual(events, ["message", "poll_closed"]);
  const bad = spawnSync(process.execPath, [cli], { input: `${VIBER}\n{}\n` });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr.toString(), /^line 2:/);
});
