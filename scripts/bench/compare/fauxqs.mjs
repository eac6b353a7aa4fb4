// fauxqs (the in-memory SQS emulator) on 127.0.0.1 only and without its per-request log:
//   FAUXQS_PORT=PORT node scripts/bench/compare/fauxqs.mjs   (BENCH_COMPARE_DIR: the install folder)
import net from "node:net";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] && typeof args[0] === "object") args[0] = { ...args[0], host: "127.0.0.1" };
  return listen.apply(this, args);
};
const dir = process.env.BENCH_COMPARE_DIR;
const app = pathToFileURL(`${dir}/node_modules/fauxqs/dist/app.js`).href;
const { startFauxqs } = await import(app);
// Queue URLs are http://sqs.REGION.localhost:PORT/000000000000/NAME; clients send to the endpoint.
await startFauxqs({ logger: false, port: Number(process.env.FAUXQS_PORT) });
console.log("fauxqs ready");
