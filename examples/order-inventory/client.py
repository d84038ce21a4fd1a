#!/usr/bin/env python3
"""Call a latticed service with boto3's SigV4Auth, the way the VPC Lattice user guide shows.

Credentials come from the usual AWS sources (here: the AWS_* variables that
`eval "$(node bin/latticed.js credentials --role order-service-role --format env ...)"` sets).

  python3 examples/order-inventory/client.py http://inventory.shop.internal:8080/api/stock
  python3 examples/order-inventory/client.py -X POST -d '{"sku":"sku-123"}' http://inventory.shop.internal:8080/api/stock
  python3 examples/order-inventory/client.py --unsigned http://inventory.shop.internal:8080/api/stock

The URL's host is the service's name; the TCP connection goes to --connect (default $LATTICED or
127.0.0.1:8080), like `curl --resolve`, because the demo's names are not in DNS.
"""
import argparse
import http.client
import json
import os
import sys
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

try:
    import boto3
except ImportError:  # botocore alone signs just as well; boto3 only finds the credentials
    boto3 = None


def sign(method, url, body, headers, region, credentials):
    """Returns the headers of a SigV4-signed request for the vpc-lattice-svcs signing name."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    # Lattice wants x-amz-content-sha256 signed; UNSIGNED-PAYLOAD as in the AWS docs' examples.
    request.headers["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD"
    request.context["payload_signing_enabled"] = False
    SigV4Auth(credentials, "vpc-lattice-svcs", region).add_auth(request)
    return dict(request.headers.items())


def send(connect, method, url, body, headers, source_address=None, timeout=10):
    """Sends the request to `connect` (host:port) with the URL's Host; returns (status, headers, body)."""
    host, port = connect.rsplit(":", 1)
    parts = urlsplit(url)
    target = (parts.path or "/") + (("?" + parts.query) if parts.query else "")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout,
                                      source_address=(source_address, 0) if source_address else None)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        if not any(k.lower() == "host" for k in headers):
            conn.putheader("Host", parts.netloc)
        for k, v in headers.items():
            conn.putheader(k, v)
        if body is not None and not any(k.lower() == "content-length" for k in headers):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        res = conn.getresponse()
        return res.status, dict(res.getheaders()), res.read().decode("utf-8", "replace")
    finally:
        conn.close()


def credentials():
    """The caller's credentials from the standard AWS chain (environment, profile, ...)."""
    if boto3 is not None:
        return boto3.Session().get_credentials()
    import botocore.session
    return botocore.session.get_session().get_credentials()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url")
    ap.add_argument("-X", "--method", default="GET")
    ap.add_argument("-d", "--data", help="request body")
    ap.add_argument("-H", "--header", action="append", default=[], help="extra header, NAME: VALUE")
    ap.add_argument("--connect", default=os.environ.get("LATTICED", "127.0.0.1:8080"))
    ap.add_argument("--region", default=os.environ.get("AWS_REGION", "us-west-2"))
    ap.add_argument("--unsigned", action="store_true", help="send without a signature (an anonymous caller)")
    ap.add_argument("--source-address", help="bind the client to this local address (for example 127.0.9.1)")
    ap.add_argument("--json", action="store_true", help="print {status, headers, body} as JSON")
    args = ap.parse_args()

    body = args.data.encode() if args.data is not None else None
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    if not args.unsigned:
        creds = credentials()
        if creds is None:
            sys.exit("no AWS credentials: eval \"$(node bin/latticed.js credentials --role order-service-role --format env ...)\" first")
        headers = sign(args.method, args.url, body, headers, args.region, creds.get_frozen_credentials())
    status, res_headers, res_body = send(args.connect, args.method, args.url, body, headers, args.source_address)
    if args.json:
        print(json.dumps({"status": status, "headers": res_headers, "body": res_body}))
    else:
        print(f"HTTP {status}")
        print(res_body)
    sys.exit(0 if 200 <= status < 300 else 1)


if __name__ == "__main__":
    main()
