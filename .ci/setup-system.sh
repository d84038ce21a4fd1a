#!/usr/bin/env bash
# System packages the test suite needs (curl with --aws-sigv4, python3 botocore, wrk/nginx for benches).
set -euo pipefail
need=()
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
python3 -c 'import botocore' || { echo "python3 botocore is required by test/interop" >&2; exit 1; }
