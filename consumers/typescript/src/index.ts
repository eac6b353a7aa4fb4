// The envelopes of messenger-receivers, typed for a Main process: parse one SQS message body,
// serialize it back. The types are generated from the envelope's JSON Schema.

import { isInteger, isSafeNumber, parse, stringify } from "lossless-json";

import type { Envelope } from "./envelope.generated.js";

export type * from "./envelope.generated.js";

/** The envelope format version this package reads. */
export const VERSION = 1;

/** The fields every envelope of this version has. */
export const REQUIRED_FIELDS = [
  "version",
  "channel",
  "bot",
  "chat_id",
  "event",
  "message",
  "event_id",
  "received_at",
  "raw",
] as const;

const TEXT_FIELDS = ["channel", "bot", "chat_id", "event", "event_id", "received_at"] as const;

/** A body that is not an envelope this package can read. */
export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

/** An envelope of another format version: deploy a consumer that knows it. */
export class UnsupportedVersionError extends EnvelopeError {
  override name = "UnsupportedVersionError";

  constructor(readonly version: unknown) {
    super(`envelope version ${String(version)} is not ${VERSION}, the one this package reads`);
  }
}

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// An integer beyond 2^53 (Viber's message tokens in `raw`, say) becomes a bigint, so that
// serializing the envelope again writes the same digits; every other number is a number.
function parseNumber(text: string): number | bigint {
  return isInteger(text) && !isSafeNumber(text) ? BigInt(text) : Number(text);
}

/**
 * Reads one envelope (an SQS message body, a spool line). An `event`, `channel` or
 * `message.type` newer than this package is kept as its text, and fields added by later minor
 * versions are kept too: switch on the known values and let `default` take the rest. Throws
 * `UnsupportedVersionError` for another `version` and `EnvelopeError` for anything else that
 * is not an envelope (checked: the required fields and the types of the top-level text fields,
 * `message.type`, `message.attachments`).
 */
export function parseEnvelope(text: string): Envelope {
  let value: unknown;
  try {
    // Of a key given twice, the last value counts, as with JSON.parse.
    value = parse(text, null, { parseNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (error) {
    throw new EnvelopeError(`not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) {
    throw new EnvelopeError("an envelope is a JSON object");
  }
  if (value["version"] !== VERSION) {
    throw new UnsupportedVersionError(value["version"]);
  }
  for (const field of REQUIRED_FIELDS) {
    if (!(field in value)) {
      throw new EnvelopeError(`no ${field}`);
    }
  }
  for (const field of TEXT_FIELDS) {
    if (typeof value[field] !== "string") {
      throw new EnvelopeError(`${field} is not a string`);
    }
  }
  const message = value["message"];
  if (!isObject(message) || typeof message["type"] !== "string") {
    throw new EnvelopeError("message is not an object with a string type");
  }
  const attachments = message["attachments"];
  if (!Array.isArray(attachments) || !attachments.every((a) => isObject(a) && typeof a["type"] === "string")) {
    throw new EnvelopeError("message.attachments is not a list of objects with a string type");
  }
  return value as unknown as Envelope;
}

/** Writes an envelope back as JSON, numbers as they were read (bigints included). */
export function serializeEnvelope(envelope: Envelope): string {
  const text = stringify(envelope);
  if (text === undefined) {
    throw new EnvelopeError("the envelope does not serialize");
  }
  return text;
}
