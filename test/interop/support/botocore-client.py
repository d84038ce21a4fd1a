"""Signs and sends requests with real botocore, one JSON request per stdin line.

Each line: {"method", "url", "headers", "body", "credentials": {"accessKeyId",
"secretAccessKey", "sessionToken"?}, "region", "service", "mode": "header"|"presign",
"cafile"?}. Each answer line: {"status", "body"} or {"error"}. Staying alive across
requests spares a botocore import (~0.2 s) per case.
"""
import json
import sys

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.httpsession import URLLib3Session


def sign_and_send(job):
    creds = job["credentials"]
    credentials = Credentials(
        creds["accessKeyId"], creds["secretAccessKey"], creds.get("sessionToken")
    )
    request = AWSRequest(
        method=job["method"],
        url=job["url"],
        data=job.get("body") or None,
        headers=job.get("headers") or {},
    )
    # As in AWS's VPC Lattice example: Lattice does not support payload signing.
    request.context["payload_signing_enabled"] = False
    if job.get("mode") == "presign":
        signer = SigV4QueryAuth(credentials, job["service"], job["region"], expires=300)
    else:
        signer = SigV4Auth(credentials, job["service"], job["region"])
    signer.add_auth(request)
    session = URLLib3Session(verify=job.get("cafile") or True)
    try:
        response = session.send(request.prepare())
        return {"status": response.status_code, "body": response.text, "url": request.url}
    finally:
        session.close()


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        answer = sign_and_send(json.loads(line))
    except Exception as error:  # reported to the test, which fails on it
        answer = {"error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
