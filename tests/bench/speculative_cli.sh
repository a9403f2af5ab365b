#!/bin/sh
# Speculative decoding through the path a user runs: arlab-cli as a whole process, against plain AR sampling
# (arlab-cli generate) from the same target, both timed in one run. Cost per token = (time of --steps N -
# time of --steps 1) / (N - 1), fastest of R runs of each, so loading the model is not counted.
# Usage: tests/bench/speculative_cli.sh BUILD_DIR [N] [R]   (not part of CI; the figures go in the README)
set -eu
cli="${1:?usage: speculative_cli.sh BUILD_DIR [N] [R]}/app/arlab-cli"
n="${2:-60}"
runs="${3:-5}"
models="$(cd "$(dirname "$0")/../.." && pwd)/resources/models"
target="$models/toy-target.safetensors"
draft="$models/toy-draft.safetensors"

best() {  # best wall time in ms of R runs of the command
    b=""
    i=0
    while [ "$i" -lt "$runs" ]; do
        t0=$(date +%s%N)
        "$@" > /dev/null
        t=$(( ($(date +%s%N) - t0) / 1000 ))
        if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
        i=$((i + 1))
    done
    echo "$b"
}

ar1=$(best "$cli" generate "$target" --prompt "" --steps 1 --seed 1)
arN=$(best "$cli" generate "$target" --prompt "" --steps "$n" --seed 1)
arTok=$(( (arN - ar1) / (n - 1) ))
echo "plain AR (arlab-cli generate): $arTok us/token"
echo "| gamma | us/token | speedup over plain AR |"
echo "|---|---|---|"
for g in 1 2 3 4 5 6 7 8; do
    s1=$(best "$cli" speculative --target "$target" --draft "$draft" --gamma "$g" --steps 1 --seed 1)
    sN=$(best "$cli" speculative --target "$target" --draft "$draft" --gamma "$g" --steps "$n" --seed 1)
    tok=$(( (sN - s1) / (n - 1) ))
    echo "| $g | $tok | $(awk "BEGIN { printf \"%.2f\", $arTok / $tok }")x |"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
