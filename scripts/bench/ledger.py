#!/usr/bin/env python3
"""What the ledger adds per request: the look-up before the enqueue and the record after it,
timed by benches/examples/ledger_latency.rs against moto's DynamoDB and against dynalite (a
DynamoDB implementation on Node, from npm), both on loopback.

    scripts/bench/ledger.py [--requests 2000] [--rounds 3]

Installs dynalite into target/bench-compare/dynalite if it is missing; needs moto and boto3.
"""
import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[2]
DYNALITE = ROOT / "target/bench-compare/dynalite"
EXAMPLE = ROOT / "target/release/examples/ledger_latency"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, process):
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                sys.exit(f"the emulator on {port} exited")
            time.sleep(0.2)
    sys.exit(f"nothing listens on {port}")


def create_table(endpoint, name):
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="bench", aws_secret_access_key="bench")
    client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    for _ in range(100):
        if client.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.1)
    sys.exit(f"table {name} did not become active")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "receivers",
                    "--example", "ledger_latency"], cwd=ROOT, check=True)
    if not (DYNALITE / "node_modules/dynalite").exists():
        DYNALITE.mkdir(parents=True, exist_ok=True)
        # Its own package.json, or npm installs into the nearest parent that has one.
        (DYNALITE / "package.json").write_text('{"private": true}\n')
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "dynalite@3.2.2"],
                       cwd=DYNALITE, check=True)
    emulators = {}
    moto_port, dynalite_port = free_port(), free_port()
    emulators["moto"] = (moto_port, subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-p", str(moto_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    emulators["dynalite"] = (dynalite_port, subprocess.Popen(
        ["node", str(DYNALITE / "node_modules/dynalite/cli.js"), "--port", str(dynalite_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        for name, (port, process) in emulators.items():
            wait_for(port, process)
            create_table(f"http://127.0.0.1:{port}", "receivers-ledger")
        env = dict(os.environ, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID="bench",
                   AWS_SECRET_ACCESS_KEY="bench", RUST_LOG="off")
        # Rounds interleave the emulators and batch sizes, so machine noise falls on all alike.
        for round_ in range(1, args.rounds + 1):
            for batch in (1, 10):
                for name, (port, _) in emulators.items():
                    env["AWS_ENDPOINT_URL"] = f"http://127.0.0.1:{port}"
                    out = subprocess.run(
                        [str(EXAMPLE), "receivers-ledger", str(args.requests), str(batch)],
                        env=env, check=True, capture_output=True, text=True).stdout
                    for line in out.splitlines():
                        print(f"round {round_}  {name:8} batch {batch:2}  {line}")
    finally:
        for _, process in emulators.values():
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
