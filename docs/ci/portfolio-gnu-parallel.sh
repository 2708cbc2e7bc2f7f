#!/bin/sh
# One host, GNU parallel: the portfolio under apis/ in 4 shards run side by side, then merged into one assessment.
# Each shard runs on one thread (JRT0185_WORKERS=1) so the 4 processes share the cores instead of each starting a
# pool. --halt stops everything on the first real failure; a shard's exit code 1 (its own gate) is not one.
set -eu
SHARDS=4
export JRT0185_WORKERS=1
rm -rf shards && mkdir -p shards
seq 0 $((SHARDS - 1)) | parallel --jobs "$SHARDS" --halt now,fail=1 "npx jrt0185 assess --openapi apis --shard {}/$SHARDS --level A2 --role bank --format json --out shards/{} --no-config || [ \$? -eq 1 ]"
npx jrt0185 merge shards/*/jrt0185-report.json --format terminal,json,html --out jrt0185-out
