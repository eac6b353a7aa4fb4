// In-process cost of one event through a framework's Lambda handler, without any Runtime API:
// reads API Gateway events (a JSON array, each used in turn) on stdin, calls the handler
// BENCH_WARMUP times, then BENCH_EVENTS times, and prints {wall_us, cpu_us} per event as JSON.
//   BENCH_FRAMEWORK=bolt|grammy BENCH_COMPARE_DIR=... node per_event.js < events.json
"use strict";
const { build } = require("./runtime.js");

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const events = JSON.parse(Buffer.concat(chunks).toString());
  const handle = await build();
  const context = { awsRequestId: "bench", getRemainingTimeInMillis: () => 30_000 };
  const run = async (count) => {
    for (let i = 0; i < count; i++) {
      const answer = await handle(events[i % events.length], context);
      if (answer.statusCode !== 200) throw new Error(`answered ${answer.statusCode}`);
    }
  };
  await run(Number(process.env.BENCH_WARMUP || 2000));
  const count = Number(process.env.BENCH_EVENTS || 20000);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await run(count);
  const wall = Number(process.hrtime.bigint() - start) / 1e3;
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({ events: count, wall_us: wall / count, cpu_us: (used.user + used.system) / count }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
