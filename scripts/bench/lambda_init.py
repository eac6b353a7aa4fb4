#!/usr/bin/env python3
"""Lambda init and warm-invocation benchmark of the receiver binaries under a fake Runtime API.

Starts, on 127.0.0.1 only: moto (Secrets Manager; SQS too when fauxqs is not installed), fauxqs
(SQS, from scripts/bench/compare/setup), and a fake Lambda Runtime API. For each target it
measures, with every process spawned as the Lambda service would:

  init   time from spawn to the first GET .../invocation/next (ours includes the SQS and Secrets
         Manager warm-up calls), over --inits spawns, targets interleaved; VmHWM at that moment
  warm   --invokes sequential invocations of a realistic API Gateway event from events/<channel>/
         (fresh event ids for Telegram, Slack and WhatsApp, Slack re-signed with the current time,
         WhatsApp with the app secret): latency = the response POST
         arriving - the event handed out; CPU per event (all threads, /proc/<pid>/task/*/schedstat);
         peak RSS (VmHWM) at the end

With --compare (after scripts/bench/compare/setup) the same is done, on the same events, for a
Node custom runtime (scripts/bench/compare/runtime.js): the bare loop, Slack Bolt-JS 4 App +
AwsLambdaReceiver, grammY webhookCallback('aws-lambda'), each bare and with its listener sending
the event to the same SQS queue. Python stdlib only; bounded in count and time.

  scripts/bench/lambda_init.py [--inits 20] [--invokes 500] [--compare] [--json FILE]
"""

import argparse
import hashlib
import hmac
import http.server
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COMPARE_DIR = os.path.join(ROOT, "target", "bench-compare")
RUNTIME_JS = os.path.join(ROOT, "scripts", "bench", "compare", "runtime.js")
FAUXQS_JS = os.path.join(ROOT, "scripts", "bench", "compare", "fauxqs.mjs")
PER_EVENT_JS = os.path.join(ROOT, "scripts", "bench", "compare", "per_event.js")
EVENTS = {
    "telegram": "telegram/message.json",
    "viber": "viber/message-text.json",
    "facebook": "facebook/message_text.json",
    "slack": "slack/message.json",
    "abc": "abc/text.json",
    "whatsapp": "whatsapp/message_text.json",
}
QUEUE_NAME = "bench-events.fifo"
SPAWN_TIMEOUT = 20.0
INVOKE_TIMEOUT = 10.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, deadline=30.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on 127.0.0.1:{port} after {deadline:.0f}s")


def aws_call(endpoint, service, target, content_type, payload):
    """One unsigned AWS JSON-protocol call to an emulator (they check no signatures)."""
    request = urllib.request.Request(
        endpoint + "/",
        data=json.dumps(payload).encode(),
        headers={
            "Content-Type": content_type,
            "X-Amz-Target": target,
            "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/"
            f"{service}/aws4_request, SignedHeaders=host, Signature=00",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


# ---------------------------------------------------------------- the fake Lambda Runtime API


class Run:
    """What one spawned process sees of the Runtime API."""

    def __init__(self):
        self.first_poll = threading.Event()
        self.first_poll_at = None
        self.events = queue.Queue()
        self.answers = queue.Queue()
        self.handed_out = {}


class RuntimeApi(http.server.ThreadingHTTPServer):
    daemon_threads = True
    run = Run()

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, BrokenPipeError)):
            super().handle_error(request, client_address)  # a killed process's socket is no news


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def reply(self, status, body=b"{}", headers=()):
        """Status, headers and body in one write (no Nagle / delayed-ACK stall)."""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self._headers_buffer.extend([b"\r\n", body])
        self.flush_headers()

    def do_GET(self):
        run = self.server.run
        if self.path != "/2018-06-01/runtime/invocation/next":
            return self.reply(404)
        if not run.first_poll.is_set():
            run.first_poll_at = time.perf_counter()
            run.first_poll.set()
        item = run.events.get()
        if item is None:  # the run is over: drop the long poll
            self.close_connection = True
            return
        request_id, body = item
        headers = [
            ("Lambda-Runtime-Aws-Request-Id", request_id),
            ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30_000)),
            ("Lambda-Runtime-Invoked-Function-Arn",
             "arn:aws:lambda:us-east-1:123456789012:function:bench"),
            ("Lambda-Runtime-Trace-Id",
             f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0"),
        ]
        run.handed_out[request_id] = time.perf_counter()
        try:
            self.reply(200, body, headers)
        except OSError:
            pass

    def do_POST(self):
        arrived = time.perf_counter()
        run = self.server.run
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = self.path.split("/")
        if self.path == "/2018-06-01/runtime/init/error":
            run.answers.put(("init-error", None, arrived, body))
        elif len(parts) == 6 and parts[3] == "invocation" and parts[5] in ("response", "error"):
            run.answers.put((parts[5], parts[4], arrived, body))
        else:
            return self.reply(404)
        self.reply(202, b'{"status":"OK"}')


# ---------------------------------------------------------------- processes and their figures


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def cpu_ns(pid):
    """CPU time of every live thread of pid, in ns."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as stat:
                total += int(stat.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


class Target:
    def __init__(self, name, argv, env, channel, group):
        self.name, self.argv, self.env, self.channel, self.group = name, argv, env, channel, group


def spawn(server, target, log):
    server.run = run = Run()
    started = time.perf_counter()
    process = subprocess.Popen(target.argv, env=target.env, stdin=subprocess.DEVNULL,
                               stdout=log, stderr=log, start_new_session=True)
    end = started + SPAWN_TIMEOUT
    while not run.first_poll.wait(0.05):
        if process.poll() is not None or time.perf_counter() > end:
            stop(server, process)
            sys.exit(f"{target.name}: no poll of next (exit status {process.returncode}); "
                     f"log: {log.name}")
    return process, run, run.first_poll_at - started


def stop(server, process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    server.run.events.put(None)


def event_factory(channel, secrets):
    """A function i -> bytes of the channel's sample API Gateway event, made new for invocation i."""
    with open(os.path.join(ROOT, "events", EVENTS[channel])) as file:
        template = json.load(file)

    def make(i):
        event = json.loads(json.dumps(template))
        event["requestContext"]["requestId"] = f"bench-{i}"
        body = event.get("body") or ""
        if channel == "telegram":
            update = json.loads(body)
            update["update_id"] = 900_000_000 + i
            body = json.dumps(update, separators=(",", ":"))
        elif channel == "whatsapp":
            # A fresh message id, re-signed as Meta signs (the app secret over the raw body).
            payload = json.loads(body)
            message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
            message["id"] = f"wamid.BENCH{i:010d}"
            body = json.dumps(payload, separators=(",", ":"))
            secret = secrets["whatsapp"]["app_secret"].encode()
            for header, algorithm in (("x-hub-signature-256", hashlib.sha256),
                                      ("x-hub-signature", hashlib.sha1)):
                if header in event["headers"]:
                    name = algorithm().name
                    digest = hmac.new(secret, body.encode(), algorithm).hexdigest()
                    event["headers"][header] = f"{name}={digest}"
        elif channel == "slack":
            payload = json.loads(body)
            payload["event_id"] = f"EvBENCH{i:08d}"
            body = json.dumps(payload, separators=(",", ":"))
            now = str(int(time.time()))
            secret = secrets["slack"]["signing_secret"].encode()
            digest = hmac.new(secret, f"v0:{now}:{body}".encode(), hashlib.sha256).hexdigest()
            event["headers"]["x-slack-request-timestamp"] = now
            event["headers"]["x-slack-signature"] = f"v0={digest}"
        event["body"] = body
        if "content-length" in event["headers"] and not event.get("isBase64Encoded"):
            event["headers"]["content-length"] = str(len(body.encode()))
        return json.dumps(event).encode()

    return make


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def measure_inits(server, targets, count, logs):
    inits = {t.name: [] for t in targets}
    rss = {t.name: [] for t in targets}
    for round_ in range(count + 1):  # round 0 is a discarded warm-up (page cache, emulators)
        for target in targets:
            process, _run, seconds = spawn(server, target, logs[target.name])
            hwm = vm_hwm_kib(process.pid)
            stop(server, process)
            if round_:
                inits[target.name].append(seconds)
                rss[target.name].append(hwm)
    return inits, rss


def measure_warm(server, target, count, make_event, log):
    process, run, _ = spawn(server, target, log)
    latencies, statuses, errors = [], {}, []
    cpu_before = cpu_ns(process.pid)
    try:
        for i in range(count):
            request_id = str(uuid.uuid4())
            run.events.put((request_id, make_event(i)))
            try:
                kind, answered_id, arrived, body = run.answers.get(timeout=INVOKE_TIMEOUT)
            except queue.Empty:
                state = "exited" if process.poll() is not None else "still running"
                sys.exit(f"{target.name}: no answer to invocation {i} within {INVOKE_TIMEOUT:.0f}s "
                         f"(process {state}, exit status {process.returncode}; log: {log.name})")
            if kind != "response" or answered_id != request_id:
                errors.append(f"{kind} {body[:300]!r}")
                if kind == "init-error":
                    break
                continue
            latencies.append(arrived - run.handed_out[request_id])
            status = json.loads(body).get("statusCode")
            statuses[status] = statuses.get(status, 0) + 1
        cpu_after = cpu_ns(process.pid)
        hwm = vm_hwm_kib(process.pid)
    finally:
        stop(server, process)
    return {
        "p50_ms": percentile(latencies, 50) * 1e3 if latencies else None,
        "p99_ms": percentile(latencies, 99) * 1e3 if latencies else None,
        "max_ms": max(latencies) * 1e3 if latencies else None,
        "first_ms": latencies[0] * 1e3 if latencies else None,
        "cpu_us_per_event": (cpu_after - cpu_before) / 1e3 / count,
        "peak_rss_mib": hwm / 1024,
        "statuses": statuses,
        "errors": errors[:3],
        "error_count": len(errors),
    }


def summarize_rounds(rounds):
    """One warm result from several rounds: the median round's figures (by CPU per event), with
    each figure's range over the rounds and every round kept."""
    if len(rounds) == 1:
        return rounds[0]
    ordered = sorted(rounds, key=lambda r: r["cpu_us_per_event"])
    summary = dict(ordered[(len(ordered) - 1) // 2])
    for key in ("p50_ms", "p99_ms", "cpu_us_per_event", "peak_rss_mib"):
        values = [r[key] for r in rounds if r[key] is not None]
        summary[key] = percentile(values, 50)
        summary[key + "_range"] = [min(values), max(values)]
    summary["statuses"] = {}
    for r in rounds:
        for status, count in r["statuses"].items():
            summary["statuses"][status] = summary["statuses"].get(status, 0) + count
    summary["error_count"] = sum(r["error_count"] for r in rounds)
    summary["rounds"] = rounds
    return summary


def measure_in_process(framework, make_event, env):
    """The framework handler's own cost per event, in process (no Runtime API, no queue)."""
    events = "[" + ",".join(make_event(i).decode() for i in range(100)) + "]"
    out = subprocess.run(["node", PER_EVENT_JS], input=events.encode(), capture_output=True,
                         env={**env, "BENCH_FRAMEWORK": framework, "BENCH_ENQUEUE": "0"},
                         timeout=120, check=True)
    return json.loads(out.stdout)


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inits", type=int, default=20, help="spawns per target (max 100)")
    parser.add_argument("--invokes", type=int, default=500, help="warm invocations (max 5000)")
    parser.add_argument("--warm-rounds", type=int, default=1,
                        help="warm runs per target, targets interleaved; the median is shown "
                             "with the range (max 20)")
    parser.add_argument("--compare", action="store_true", help="also Bolt-JS, grammY, bare Node")
    parser.add_argument("--channels", default=",".join(EVENTS), help="receivers to measure")
    parser.add_argument("--sqs", choices=["auto", "moto", "fauxqs"], default="auto")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="extra environment for every target (e.g. SSL_CERT_FILE=...)")
    parser.add_argument("--logs", help="keep the processes' output in this folder")
    parser.add_argument("--bin-dir", default=os.path.join(ROOT, "target", "release"),
                        help="where the <channel>-receiver binaries are (default target/release)")
    parser.add_argument("--variant", action="append", default=[], metavar="LABEL=DIR",
                        help="measure the binaries of DIR as <channel>-receiver@LABEL, interleaved "
                             "with the other variants (instead of --bin-dir; repeat it)")
    args = parser.parse_args()
    args.inits = max(1, min(args.inits, 100))
    args.invokes = max(1, min(args.invokes, 5000))
    args.warm_rounds = max(1, min(args.warm_rounds, 20))
    channels = [c for c in args.channels.split(",") if c]
    have_compare = os.path.isdir(os.path.join(COMPARE_DIR, "node_modules", "@slack", "bolt"))
    if args.compare and not have_compare:
        sys.exit("--compare needs scripts/bench/compare/setup first")
    sqs_kind = args.sqs
    if sqs_kind == "auto":
        sqs_kind = "fauxqs" if os.path.isdir(os.path.join(COMPARE_DIR, "node_modules", "fauxqs")) else "moto"

    load_before = os.getloadavg()[0]
    work = tempfile.mkdtemp(prefix="lambda-bench-")
    children = []
    try:
        moto_port = free_port()
        children.append(subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
            stdout=open(os.path.join(work, "moto.log"), "w"), stderr=subprocess.STDOUT,
            start_new_session=True))
        moto = f"http://127.0.0.1:{moto_port}"
        sqs = moto
        if sqs_kind == "fauxqs":
            fauxqs_port = free_port()
            children.append(subprocess.Popen(
                ["node", FAUXQS_JS], env={**os.environ, "FAUXQS_PORT": str(fauxqs_port),
                                          "BENCH_COMPARE_DIR": COMPARE_DIR},
                stdout=open(os.path.join(work, "fauxqs.log"), "w"), stderr=subprocess.STDOUT,
                start_new_session=True))
            sqs = f"http://127.0.0.1:{fauxqs_port}"
            wait_port(fauxqs_port)
        wait_port(moto_port)

        queue_url = aws_call(
            sqs, "sqs", "AmazonSQS.CreateQueue", "application/x-amz-json-1.0",
            {"QueueName": QUEUE_NAME,
             "Attributes": {"FifoQueue": "true", "ContentBasedDeduplication": "false"}})["QueueUrl"]
        with open(os.path.join(ROOT, "bots.example.json")) as file:
            examples = json.load(file)
        secrets = {}
        for name, document in examples.items():
            aws_call(moto, "secretsmanager", "secretsmanager.CreateSecret",
                     "application/x-amz-json-1.1",
                     {"Name": name, "SecretString": json.dumps(document)})
            secrets[name.split("/")[1]] = document

        round_trips = {}
        for label, call in [
            ("secretsmanager GetSecretValue (missing)", lambda: aws_call(
                moto, "secretsmanager", "secretsmanager.GetSecretValue",
                "application/x-amz-json-1.1", {"SecretId": "receivers/bench/.warm-up"})),
            ("sqs GetQueueAttributes", lambda: aws_call(
                sqs, "sqs", "AmazonSQS.GetQueueAttributes", "application/x-amz-json-1.0",
                {"QueueUrl": queue_url, "AttributeNames": ["All"]})),
        ]:
            times = []
            for _ in range(21):
                began = time.perf_counter()
                try:
                    call()
                except urllib.error.HTTPError:
                    pass  # the missing secret: an answer all the same
                times.append(time.perf_counter() - began)
            round_trips[label] = percentile(times[1:], 50) * 1e3

        api_port = free_port()
        server = RuntimeApi(("127.0.0.1", api_port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()

        home = os.path.join(work, "home")
        os.makedirs(home)
        base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "HOME": home,
            "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{api_port}",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/bench",
            "AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/27/[$LATEST]bench",
            "QUEUE_URL": queue_url, "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto, "AWS_ENDPOINT_URL_SQS": sqs,
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_EC2_METADATA_DISABLED": "true",
            **dict(pair.split("=", 1) for pair in args.env),
        }
        targets = []
        variants = [pair.split("=", 1) for pair in args.variant] or [("", args.bin_dir)]
        for channel in channels:
            for label, bin_dir in variants:
                binary = os.path.join(bin_dir, f"{channel}-receiver")
                if not os.access(binary, os.X_OK):
                    sys.exit(f"{binary} missing: cargo build --release -p {channel}-receiver")
                env = {**base_env, "AWS_LAMBDA_FUNCTION_NAME": f"{channel}-receiver"}
                name = f"{channel}-receiver" + (f"@{label}" if label else "")
                targets.append(Target(name, [binary], env, channel, "ours"))
        if args.compare:
            node_env = {**base_env, "BENCH_COMPARE_DIR": COMPARE_DIR,
                        "SLACK_SIGNING_SECRET": secrets["slack"]["signing_secret"],
                        "SLACK_BOT_TOKEN": secrets["slack"]["bot_token"],
                        "TELEGRAM_BOT_TOKEN": secrets["telegram"]["token"],
                        "TELEGRAM_SECRET_TOKEN": secrets["telegram"]["secret_token"]}
            for name, framework, channel, enqueue in [
                ("node-loop", "none", "telegram", "0"),
                ("bolt-js", "bolt", "slack", "0"), ("bolt-js+sqs", "bolt", "slack", "1"),
                ("grammy", "grammy", "telegram", "0"), ("grammy+sqs", "grammy", "telegram", "1"),
            ]:
                env = {**node_env, "AWS_LAMBDA_FUNCTION_NAME": name,
                       "BENCH_FRAMEWORK": framework, "BENCH_ENQUEUE": enqueue}
                targets.append(Target(name, ["node", RUNTIME_JS], env, channel, "compare"))
        log_dir = args.logs or work
        os.makedirs(log_dir, exist_ok=True)
        logs = {t.name: open(os.path.join(log_dir, f"{t.name}.log"), "w") for t in targets}

        inits, init_rss = measure_inits(server, targets, args.inits, logs)
        rounds = {t.name: [] for t in targets}
        for _ in range(args.warm_rounds):  # targets interleaved, round after round
            for target in targets:
                rounds[target.name].append(measure_warm(
                    server, target, args.invokes, event_factory(target.channel, secrets),
                    logs[target.name]))
        results = {}
        for target in targets:
            warm = summarize_rounds(rounds[target.name])
            times = inits[target.name]
            results[target.name] = {
                "event": EVENTS[target.channel],
                "init_p50_ms": percentile(times, 50) * 1e3,
                "init_min_ms": min(times) * 1e3,
                "init_max_ms": max(times) * 1e3,
                "init_rss_mib": percentile(init_rss[target.name], 50) / 1024,
                **warm,
            }
        if args.compare:
            for name, framework, channel in [("bolt-js", "bolt", "slack"),
                                             ("grammy", "grammy", "telegram")]:
                results[name]["in_process"] = measure_in_process(
                    framework, event_factory(channel, secrets), node_env)
    finally:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
                try:
                    child.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(child.pid, signal.SIGKILL)
    shutil.rmtree(work, ignore_errors=True)

    print(f"{args.inits} spawns per target (interleaved, after one discarded), {args.invokes} warm "
          f"invocations each; SQS: {sqs_kind}, Secrets Manager: moto; "
          f"nproc {os.cpu_count()}, load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")
    print("emulator round trip from Python, new connection each, p50 of 20: " + ", ".join(
        f"{label} {ms:.1f} ms" for label, ms in round_trips.items()))
    print(f"{'target':22} {'init p50':>9} {'min':>7} {'max':>7} {'RSS@init':>8} | {'warm p50':>8} "
          f"{'p99':>7} {'first':>7} {'CPU/ev':>8} {'peak RSS':>8}  statuses")
    for name, r in results.items():
        print(f"{name:22} {r['init_p50_ms']:7.1f}ms {r['init_min_ms']:5.1f}ms {r['init_max_ms']:5.1f}ms "
              f"{r['init_rss_mib']:6.1f}MB | {r['p50_ms']:6.2f}ms {r['p99_ms']:5.2f}ms "
              f"{r['first_ms']:5.1f}ms {r['cpu_us_per_event']:6.0f}µs {r['peak_rss_mib']:6.1f}MB  "
              f"{r['statuses']}" + (f" errors {r['error_count']}: {r['errors']}" if r["errors"] else ""))
    if args.warm_rounds > 1:
        print(f"range over the {args.warm_rounds} warm rounds (min-max):")
        for name, r in results.items():
            print(f"  {name:20} warm p50 {r['p50_ms_range'][0]:.2f}-{r['p50_ms_range'][1]:.2f}ms, "
                  f"p99 {r['p99_ms_range'][0]:.2f}-{r['p99_ms_range'][1]:.2f}ms, CPU/ev "
                  f"{r['cpu_us_per_event_range'][0]:.0f}-{r['cpu_us_per_event_range'][1]:.0f}µs")
    for name, r in results.items():
        if "in_process" in r:
            p = r["in_process"]
            print(f"{name} handler in process (no Runtime API, no queue): {p['wall_us']:.1f} µs wall, "
                  f"{p['cpu_us']:.1f} µs CPU per event over {p['events']} events")
    pairs = [("slack-receiver", "bolt-js"), ("slack-receiver", "bolt-js+sqs"),
             ("telegram-receiver", "grammy"), ("telegram-receiver", "grammy+sqs")]
    ratios = {}
    for ours, theirs in pairs:
        if ours in results and theirs in results:
            a, b = results[ours], results[theirs]
            ratios[f"{ours}/{theirs}"] = {
                key: a[key] / b[key] for key in
                ("init_p50_ms", "p50_ms", "p99_ms", "cpu_us_per_event", "peak_rss_mib")}
            r = ratios[f"{ours}/{theirs}"]
            print(f"ours/theirs {ours} : {theirs}: init {r['init_p50_ms']:.3f}, warm p50 "
                  f"{r['p50_ms']:.2f}, p99 {r['p99_ms']:.2f}, CPU/event {r['cpu_us_per_event']:.2f}, "
                  f"peak RSS {r['peak_rss_mib']:.2f}")
    peers = [name for name in ("bolt-js+sqs", "grammy+sqs") if name in results]
    if peers:
        print("each receiver / each framework with its queue send (CPU per invocation, warm p50):")
        for ours in (name for name in results if name.split("@")[0].endswith("-receiver")):
            a = results[ours]
            print(f"  {ours:20} " + ", ".join(
                f"/ {theirs}: CPU {a['cpu_us_per_event'] / results[theirs]['cpu_us_per_event']:.3f}"
                f" p50 {a['p50_ms'] / results[theirs]['p50_ms']:.2f}" for theirs in peers))
            for theirs in peers:
                ratios.setdefault(f"{ours}/{theirs}", {
                    key: a[key] / results[theirs][key] for key in
                    ("init_p50_ms", "p50_ms", "p99_ms", "cpu_us_per_event", "peak_rss_mib")})
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"sqs": sqs_kind, "round_trips_ms": round_trips, "inits": args.inits, "invokes": args.invokes,
                       "load": [load_before, os.getloadavg()[0]], "results": results, "ratios": ratios}, file, indent=2)


if __name__ == "__main__":
    main()
