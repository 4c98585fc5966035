#!/usr/bin/env bash
# The full hostile set against the evaluation sandbox, with and without bubblewrap, as one
# table: probe, mode (bwrap | unshare | none), contained (did the probe's checks hold),
# verdict (status of its last run). The probes are the test files
#   test/eval/hostile*.test.ts         containment (time, processes, memory, files, network)
#   test/eval/pass-protocol*.test.ts   tampering with the verdict, per language
# run here once with bwrap and once with BATCODER_NO_BWRAP=1 (the unshare jail), plus the
# refusal when neither is available. Exit status 1 when any probe was not contained.
# Usage: tools/hostile-check.sh            (builds first when dist/ is missing)
set -u
cd "$(dirname "$0")/.."
[ -d dist/test/eval ] || { npx tsc -p tsconfig.json && node tools/postbuild.mjs; } || exit 1
table=$(mktemp)
trap 'rm -f "$table"' EXIT
export BATCODER_HOSTILE_TABLE="$table"
failed=0
for f in hostile hostile-fallback hostile-refused pass-protocol pass-protocol-fallback; do
  node "dist/test/eval/$f.test.js" > /dev/null 2>&1 || { echo "test file $f failed (rerun: node tools/run-tests.mjs eval/$f)" >&2; failed=1; }
done
printf 'probe\tmode\tcontained\tverdict\n' | cat - "$table" | column -t -s "$(printf '\t')"
echo
echo "$(grep -c "	yes	" "$table") contained, $(grep -c "	NO	" "$table") not contained"
grep -q "	NO	" "$table" && failed=1
exit $failed
