#!/usr/bin/env bash
# Packs jrt0185, installs the tarball into an empty folder and assesses a bundled fixture with the installed
# binary: proves that rules, schemas and templates ship inside the package.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
cd "$work"
echo '{"private":true}' > package.json
npm install --no-audit --no-fund --silent "./$tarball" >/dev/null
fixture=node_modules/jrt0185/fixtures/compliant-bank
set +e
npx --no-install jrt0185 assess --config "$fixture/jrt0185.config.yaml" --format terminal,json,junit,html,sarif --out out --lang en > terminal.txt
status=$?
set -e
if [ "$status" -ne 0 ]; then echo "pack-smoke: assess exited $status (the compliant fixture must pass its gate)"; cat terminal.txt; exit 1; fi
node -e "const r=require('./out/jrt0185-report.json'); if(!(r.requirements.length>100)) { console.error('pack-smoke: too few requirements'); process.exit(1) } console.log('pack-smoke: installed package assessed the fixture: score', r.score, 'coverage', r.coverage.total + '%')"
npx --no-install jrt0185 rules --coverage > /dev/null
# The installed binary runs the bundle (scripts/build-bundle.mjs), and its worker threads start from it: two
# descriptions in worker threads give one row each.
for f in main portfolio-worker logs-worker; do
  if [ ! -f "node_modules/jrt0185/dist/bundle/$f.js" ]; then echo "pack-smoke: dist/bundle/$f.js is not in the package"; exit 1; fi
done
set +e
JRT0185_WORKERS=2 npx --no-install jrt0185 assess --no-config --openapi "$fixture/openapi.yaml" --openapi node_modules/jrt0185/fixtures/leaky-bank/openapi.yaml --format json --out out2 --lang en > /dev/null 2>&1
status=$?
set -e
if [ "$status" -ne 1 ]; then echo "pack-smoke: a two-description assess exited $status (expected 1: the leaky fixture fails its gate)"; exit 1; fi
node -e "const r=require('./out2/jrt0185-report.json'); if ((r.apis||[]).length !== 2) { console.error('pack-smoke: expected one row per description'); process.exit(1) }"
echo "pack-smoke: ok"
