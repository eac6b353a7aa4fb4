"""The envelopes of messenger-receivers, typed for a Main process: parse one SQS message body,
serialize it back. The models are generated from the envelope's JSON Schema (`generated.py`).

An `event`, `channel` or `message.type` newer than this package is kept as its text (the
`str` side of `EventKind`, `Channel`, `MessageType`), and fields added by later minor versions
are kept as extra fields: match the known values and let `case _` take the rest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, get_args

from .generated import (
    Attachment,
    Channel,
    Envelope,
    EventKind,
    KnownChannel,
    KnownEventKind,
    KnownMessageType,
    Location,
    Message,
    MessageType,
    User,
)

__all__ = [
    "KNOWN_CHANNELS",
    "KNOWN_EVENT_KINDS",
    "KNOWN_MESSAGE_TYPES",
    "VERSION",
    "Attachment",
    "Channel",
    "Envelope",
    "EventKind",
    "KnownChannel",
    "KnownEventKind",
    "KnownMessageType",
    "Location",
    "Message",
    "MessageType",
    "UnsupportedVersion",
    "User",
    "parse",
    "to_json",
]

#: The envelope format version this package reads.
VERSION = 1

#: The values this package was generated with; anything else is newer than it.
KNOWN_CHANNELS: frozenset[str] = frozenset(get_args(KnownChannel.__value__))
KNOWN_EVENT_KINDS: frozenset[str] = frozenset(get_args(KnownEventKind.__value__))
KNOWN_MESSAGE_TYPES: frozenset[str] = frozenset(get_args(KnownMessageType.__value__))


class UnsupportedVersion(ValueError):
    """An envelope of another format version: deploy a consumer that knows it."""

    def __init__(self, version: object) -> None:
        super().__init__(f"envelope version {version!r} is not {VERSION}, the one this package reads")
        self.version = version


def parse(data: bytes | bytearray | str | Mapping[str, Any]) -> Envelope:
    """Reads one envelope: an SQS message body (bytes or text) or its JSON already decoded.

    Raises `UnsupportedVersion` for another `version`, and `ValueError` (a
    `json.JSONDecodeError` or a `pydantic.ValidationError`) for anything else that is not an
    envelope.
    """
    value = json.loads(data) if isinstance(data, (bytes, bytearray, str)) else data
    if not isinstance(value, Mapping):
        raise ValueError("an envelope is a JSON object")
    version = value.get("version")
    if type(version) is not int or version != VERSION:
        raise UnsupportedVersion(version)
    return Envelope.model_validate(value)


def to_json(envelope: Envelope) -> str:
    """Writes an envelope back as JSON: the fields it was read with, unknown ones included."""
    return envelope.model_dump_json(by_alias=True, exclude_unset=True)
