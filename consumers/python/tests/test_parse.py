"""parse and to_json on envelopes as the receivers write them, and as newer receivers may."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import messenger_envelope
from messenger_envelope import (
    KNOWN_CHANNELS,
    KNOWN_EVENT_KINDS,
    KNOWN_MESSAGE_TYPES,
    Attachment,
    Envelope,
    UnsupportedVersion,
    User,
    parse,
    to_json,
)

SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schema" / "envelope.schema.json"

# A Viber picture message as its receiver writes it; the message token is above 2^53.
VIBER = (
    '{"version":1,"channel":"viber","bot":"demo","chat_id":"01234567890A=","event":"message",'
    '"message":{"id":"4912661846655238145","type":"image","text":"a cat",'
    '"attachments":[{"type":"image","url":"https://example.test/cat.jpg","size":52000}],'
    '"location":{"lat":52.52,"lon":13.405}},'
    '"user":{"id":"01234567890A=","name":"Ann","language":"en"},'
    '"event_id":"viber:demo:4912661846655238145","timestamp":"2016-03-12T07:49:57.627Z",'
    '"received_at":"2026-11-24T13:00:01.120Z",'
    '"raw":{"event":"message","message_token":4912661846655238145,"silent":false,"n":1.0}}'
)


def newer(**changes: object) -> str:
    """VIBER as a newer receiver may write it."""
    value = json.loads(VIBER)
    for path, replacement in changes.items():
        *parents, last = path.split("__")
        target = value
        for parent in parents:
            target = target[parent]
        target[last] = replacement
    return json.dumps(value)


def test_bytes_text_and_decoded_json_read_alike_into_the_generated_models() -> None:
    from_text = parse(VIBER)
    assert from_text == parse(VIBER.encode()) == parse(json.loads(VIBER))
    assert isinstance(from_text, Envelope)
    assert isinstance(from_text.user, User)
    assert isinstance(from_text.message.attachments[0], Attachment)
    assert (from_text.channel, from_text.event, from_text.message.type) == ("viber", "message", "image")
    assert from_text.message.location is not None and from_text.message.location.lat == 52.52
    assert from_text.raw["message_token"] == 4912661846655238145
    assert from_text.ref is None and from_text.context is None


def test_to_json_writes_back_what_was_read_and_nothing_more() -> None:
    written = to_json(parse(VIBER))
    assert json.loads(written) == json.loads(VIBER)
    assert "4912661846655238145," in written
    assert '"ref"' not in written and '"context"' not in written


@pytest.mark.parametrize(
    ("changes", "read"),
    [
        ({"event": "poll_closed"}, lambda e: e.event),
        ({"channel": "line", "event_id": "line:demo:1"}, lambda e: e.channel),
        ({"message__type": "hologram"}, lambda e: e.message.type),
        ({"message__attachments": [{"type": "hologram"}]}, lambda e: e.message.attachments[0].type),
    ],
)
def test_a_value_newer_than_the_package_reads_as_its_text(changes, read) -> None:
    text = newer(**changes)
    envelope = parse(text)
    value = read(envelope)
    assert value in {"poll_closed", "line", "hologram"}
    assert value not in KNOWN_EVENT_KINDS | KNOWN_CHANNELS | KNOWN_MESSAGE_TYPES
    assert json.loads(to_json(envelope)) == json.loads(text)


def test_fields_added_later_are_kept() -> None:
    text = newer(added_later={"n": 1}, message__added_later=True)
    envelope = parse(text)
    assert envelope.model_extra == {"added_later": {"n": 1}}
    assert json.loads(to_json(envelope)) == json.loads(text)


def test_an_unknown_event_falls_to_the_catch_all_of_a_match() -> None:
    def route(envelope: Envelope) -> str:
        match envelope.event:
            case "message" | "edited":
                return "text"
            case "callback":
                return "button"
            case _:
                return "later"

    assert [route(parse(newer(event=kind))) for kind in ["message", "callback", "poll_closed"]] == [
        "text",
        "button",
        "later",
    ]


@pytest.mark.parametrize("version", [2, 0, "1", True, None])
def test_another_version_is_refused_as_such(version) -> None:
    with pytest.raises(UnsupportedVersion) as refused:
        parse(newer(version=version))
    assert refused.value.version == version


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[1]",
        newer(chat_id=None),
        newer(message={"type": "text"}),
        newer(bot="no spaces allowed"),
        newer(received_at="yesterday"),
        newer(event=7),
        newer(message__attachments=[{"url": "https://example.test/no-type"}]),
    ],
)
def test_what_is_not_an_envelope_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse(text)


def test_the_known_values_are_the_schemas() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert KNOWN_CHANNELS == set(schema["properties"]["channel"]["enum"])
    assert KNOWN_EVENT_KINDS == set(schema["properties"]["event"]["enum"])
    assert KNOWN_MESSAGE_TYPES == set(schema["$defs"]["message_type"]["enum"])
    assert set(Envelope.model_fields) == set(schema["properties"])
    required = {name for name, field in Envelope.model_fields.items() if field.is_required()}
    assert required == set(schema["required"])


def test_the_command_writes_back_each_line_and_stops_at_the_first_that_is_not_an_envelope() -> None:
    command = [sys.executable, "-m", messenger_envelope.__name__]
    good = subprocess.run(command, input=f"{VIBER}\n\n{newer(event='poll_closed')}\n", capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert [json.loads(line)["event"] for line in good.stdout.splitlines()] == ["message", "poll_closed"]
    bad = subprocess.run(command, input=f"{VIBER}\n{{}}\n", capture_output=True, text=True)
    assert bad.returncode == 1
    assert bad.stderr.startswith("line 2:")
