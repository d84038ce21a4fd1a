#!/usr/bin/env python3
"""E2E client: signs with botocore SigV4Auth through the example's client.py, optionally tampering
with the signature, and prints {status, headers, body} as JSON. Credentials come from AWS_* variables."""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../examples/order-inventory"))
from client import credentials, send, sign  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--connect", required=True)
    ap.add_argument("-X", "--method", default="GET")
    ap.add_argument("-d", "--data")
    ap.add_argument("--tamper", action="store_true", help="flip the last hex digit of the signature")
    args = ap.parse_args()
    body = args.data.encode() if args.data is not None else None
    creds = credentials().get_frozen_credentials()
    headers = sign(args.method, args.url, body, {}, os.environ.get("AWS_REGION", "us-west-2"), creds)
    if args.tamper:
        auth = headers["Authorization"]
        headers["Authorization"] = auth[:-1] + ("0" if auth[-1] != "0" else "1")
    status, res_headers, res_body = send(args.connect, args.method, args.url, body, headers)
    print(json.dumps({"status": status, "headers": {k.lower(): v for k, v in res_headers.items()}, "body": res_body}))


if __name__ == "__main__":
    main()
