// A Main process in TypeScript: reads envelopes from the SQS queue at QUEUE_URL, handles each by
// its `event`, and deletes it once handled. `--drain` stops when the queue is empty.
//
//   (cd ../../consumers/typescript && npm ci && npm run build)   # the package, linked from here
//   npm ci && npm run build && QUEUE_URL=https://sqs.REGION.amazonaws.com/ACCOUNT/NAME.fifo npm start

import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { parseEnvelope, type Envelope } from "messenger-envelope";

// event_id is the idempotency key: SQS deduplicates for 5 minutes only, platforms retry for up
// to days. This set shows the idea for one process; a real consumer records each event_id in a
// durable store shared by all its instances (a DynamoDB put with attribute_not_exists, a unique
// key) and skips an envelope whose id is already there.
const handled = new Set<string>();

function handle(envelope: Envelope): void {
  const who = `${envelope.channel}:${envelope.bot}:${envelope.chat_id}`;
  switch (envelope.event) {
    case "message":
    case "edited":
      console.log(`${who} ${envelope.event} ${envelope.message.type}: ${envelope.message.text ?? ""}`);
      break;
    case "callback":
    case "command":
      console.log(`${who} ${envelope.event}: ${envelope.message.payload ?? ""}`);
      break;
    case "conversation_started":
    case "subscribed":
      console.log(`${who} new conversation (ref ${envelope.ref ?? "none"})`);
      break;
    default:
      // `other`, receipts, typing, and any event kind newer than this package: the platform's
      // own event is in envelope.raw.
      console.log(`${who} ${envelope.event}`);
  }
}

async function main(): Promise<void> {
  const queueUrl = process.env["QUEUE_URL"];
  if (!queueUrl) {
    throw new Error("set QUEUE_URL to the queue's URL");
  }
  const drain = process.argv.includes("--drain");
  const sqs = new SQSClient({});
  for (;;) {
    const batch = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: drain ? 1 : 20 }),
    );
    const records = batch.Messages ?? [];
    if (drain && records.length === 0) {
      return;
    }
    for (const record of records) {
      let envelope: Envelope;
      try {
        envelope = parseEnvelope(record.Body ?? "");
      } catch (error) {
        // Left on the queue: after maxReceiveCount it moves to the dead-letter queue.
        console.error(`not an envelope: ${(error as Error).message}`);
        continue;
      }
      if (!handled.has(envelope.event_id)) {
        handle(envelope); // throwing leaves the record for a retry after the visibility timeout
        handled.add(envelope.event_id);
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: record.ReceiptHandle }));
    }
  }
}

await main();
