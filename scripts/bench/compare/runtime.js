// A minimal Node custom runtime for the Lambda comparisons (run by scripts/bench/lambda_init.py):
// require and construct the framework once, then poll `next`, call its handler, post the answer.
//   BENCH_FRAMEWORK=none|bolt|grammy  what to load (none: the loop alone, Node's own floor)
//   BENCH_ENQUEUE=1                   the listener also sends the event to SQS (QUEUE_URL)
//   BENCH_COMPARE_DIR                 where scripts/bench/compare/setup installed the packages
"use strict";
const http = require("node:http");
const { createRequire } = require("node:module");

const load = createRequire(`${process.env.BENCH_COMPARE_DIR}/package.json`);
const [host, port] = (process.env.AWS_LAMBDA_RUNTIME_API || "").split(":");
const base = "/2018-06-01/runtime";
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const dead = "http://127.0.0.1:9"; // the frameworks' platform API: never reached, never outside

function call(method, path, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method, path: base + path, agent, headers: body ? { "content-type": "application/json" } : {} },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => resolve({ headers: response.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

function enqueuer() {
  if (process.env.BENCH_ENQUEUE !== "1") return async () => {};
  const { SQSClient, SendMessageCommand } = load("@aws-sdk/client-sqs");
  const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS, useQueueUrlAsEndpoint: false });
  const url = process.env.QUEUE_URL;
  const fifo = url.endsWith(".fifo");
  return (id, body) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify(body),
        ...(fifo ? { MessageGroupId: "bench", MessageDeduplicationId: String(id) } : {}),
      }),
    );
}

async function bolt(enqueue) {
  const { App, AwsLambdaReceiver, LogLevel } = load("@slack/bolt");
  const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, logLevel: LogLevel.ERROR });
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    botId: "B0DEMOBOT",
    botUserId: "U0BOTUSER",
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: `${dead}/api/` },
  });
  app.event("message", async ({ body }) => enqueue(body.event_id, body));
  app.event("app_mention", async ({ body }) => enqueue(body.event_id, body));
  const handler = await receiver.start();
  return (event, context) => handler(event, context, () => {});
}

function grammy(enqueue) {
  const { Bot, webhookCallback } = load("grammy");
  const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN, {
    botInfo: {
      id: 123456789, is_bot: true, first_name: "Demo", username: "demo_bot",
      can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
      can_connect_to_business: false, has_main_web_app: false,
    },
    client: { apiRoot: dead },
  });
  bot.on("message", async (ctx) => enqueue(ctx.update.update_id, ctx.update));
  const callback = webhookCallback(bot, "aws-lambda", { secretToken: process.env.TELEGRAM_SECRET_TOKEN });
  return (event, context) =>
    new Promise((resolve, reject) => {
      Promise.resolve(callback(event, context, (err, answer) => (err ? reject(err) : resolve(answer)))).catch(reject);
    });
}

/** The framework's handler, (event, context) => Promise<API Gateway answer>, built once. */
function build(framework = process.env.BENCH_FRAMEWORK || "none") {
  const enqueue = enqueuer();
  return { none: async () => async () => ({ statusCode: 200, body: "" }), bolt, grammy }[framework](enqueue);
}

async function main() {
  const handle = await build();
  for (;;) {
    const next = await call("GET", "/invocation/next");
    const id = next.headers["lambda-runtime-aws-request-id"];
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers["lambda-runtime-invoked-function-arn"],
      getRemainingTimeInMillis: () => Number(next.headers["lambda-runtime-deadline-ms"]) - Date.now(),
    };
    try {
      const answer = await handle(JSON.parse(next.body), context);
      await call("POST", `/invocation/${id}/response`, JSON.stringify(answer));
    } catch (err) {
      await call("POST", `/invocation/${id}/error`, JSON.stringify({ errorType: err.name, errorMessage: String(err.message) }));
    }
  }
}

module.exports = { build };
if (require.main !== module) return;

main().catch(async (err) => {
  console.error(err);
  await call("POST", "/init/error", JSON.stringify({ errorType: err.name, errorMessage: String(err.message) })).catch(() => {});
  process.exit(1);
});
