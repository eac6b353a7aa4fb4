"""A Main process in Python: reads envelopes from the SQS queue at QUEUE_URL, handles each by
its `event`, and deletes it once handled. `--drain` stops when the queue is empty.

    pip install -r requirements.txt   # in this directory: it installs ../../consumers/python
    QUEUE_URL=https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.fifo python consumer.py
"""

import os
import sys

import boto3

from messenger_envelope import Envelope, parse

# event_id is the idempotency key: SQS deduplicates for 5 minutes only, platforms retry for up
# to days. This set shows the idea for one process; a real consumer records each event_id in a
# durable store shared by all its instances (a DynamoDB put with attribute_not_exists, a unique
# key) and skips an envelope whose id is already there.
handled: set[str] = set()


def handle(envelope: Envelope) -> None:
    who = f"{envelope.channel}:{envelope.bot}:{envelope.chat_id}"
    match envelope.event:
        case "message" | "edited":
            print(f"{who} {envelope.event} {envelope.message.type}: {envelope.message.text!r}")
        case "callback" | "command":
            print(f"{who} {envelope.event}: {envelope.message.payload!r}")
        case "conversation_started" | "subscribed":
            print(f"{who} new conversation (ref {envelope.ref!r})")
        case _:
            # `other`, receipts, typing, and any event kind newer than this package: the
            # platform's own event is in envelope.raw.
            print(f"{who} {envelope.event}")


def main() -> None:
    queue_url = os.environ["QUEUE_URL"]
    drain = "--drain" in sys.argv[1:]
    sqs = boto3.client("sqs")
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=20 if not drain else 1)
        records = batch.get("Messages", [])
        if drain and not records:
            return
        for record in records:
            try:
                envelope = parse(record["Body"])
            except ValueError as err:
                # Left on the queue: after maxReceiveCount it moves to the dead-letter queue.
                print(f"not an envelope: {err}", file=sys.stderr)
                continue
            if envelope.event_id not in handled:
                handle(envelope)  # raising leaves the record for a retry after the visibility timeout
                handled.add(envelope.event_id)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=record["ReceiptHandle"])


if __name__ == "__main__":
    main()
