#!/bin/bash
# recreate_models.sh: re-creates every shipped model in resources/models by the exact command the README gives for it
# and compares the bytes (cmp). Not a CTest (it trains for about 15 minutes on 2 cores); run it after any change that
# could touch the numerics, and before a release.
#
#   bash tests/bench/recreate_models.sh [--cli PATH] [--jobs N] [--update] [--keep DIR]
#
#   --cli PATH   the arlab-cli to run (default: build/app/arlab-cli)
#   --jobs N     models trained at once (default 2; each command runs on its own default threads)
#   --update     copy a re-created file that differs over the shipped one (after a deliberate numeric change)
#   RECREATE_ONLY=REGEX (environment): only the commands that match the extended regex, e.g. 'seq2seq|nat'
#   --keep DIR   keep each command's folder (DIR/NAME.d/resources/models/NAME) and log in DIR (default: a temporary
#                directory, removed)
#
# Exit status 0 when every model was re-created byte for byte (or updated), 1 when one differs or a command failed,
# 2 on a usage error or when a shipped model has no README command (or a README command names no shipped file).
set -u
RECREATE_ONLY=${RECREATE_ONLY:-}  # an extended regex: only the commands that match it (all when empty)
cd "$(dirname "$0")/../.." || exit 2
cli=build/app/arlab-cli jobs=2 update=0 keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --cli) cli=${2:?--cli needs a path}; shift 2 ;;
        --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
        --update) update=1; shift ;;
        --keep) keep=${2:?--keep needs a directory}; shift 2 ;;
        *) echo "recreate_models.sh: unknown argument '$1' (see the comment at the top)" >&2; exit 2 ;;
    esac
done
case "$jobs" in ''|*[!0-9]*|0) echo "recreate_models.sh: --jobs must be a positive whole number, not '$jobs'" >&2; exit 2 ;; esac
[ -x "$cli" ] || { echo "recreate_models.sh: no arlab-cli at '$cli' (build first: bash arlab.sh build)" >&2; exit 2; }
cli=$(realpath "$cli")
[ -z "$RECREATE_ONLY" ] || echo "only the models matching '$RECREATE_ONLY'"
if [ -n "$keep" ]; then mkdir -p "$keep" || exit 2; out=$(realpath "$keep"); else out=$(mktemp -d); trap 'rm -rf "$out"' EXIT; fi

# The README's commands: each `arlab-cli train... --out resources/models/NAME.safetensors` (in code blocks and tables).
grep -o 'arlab-cli train[^`#|]*--out resources/models/[A-Za-z0-9_.-]*\.safetensors' README.md | sed 's/  */ /g' | sort -u > "$out/commands.txt"
all=$(cat "$out/commands.txt")
status=0
for f in resources/models/*.safetensors; do
    grep -q -- "--out $f\$" "$out/commands.txt" || { echo "recreate_models.sh: $f has no command in the README" >&2; status=2; }
done
while read -r line; do
    f=${line##*--out }
    [ -f "$f" ] || { echo "recreate_models.sh: the README's command writes $f, which is not shipped" >&2; status=2; }
done < "$out/commands.txt"
[ $status -eq 0 ] || exit $status
echo "$(wc -l < "$out/commands.txt") models, $jobs at a time, with $cli"

# One model: its exact command (the provenance a model file stores includes the command line, so not even --out
# may change), run in its own folder $out/NAME.d whose resources/models/ receives the file; then cmp. The longest
# (image models, words-char) start first.
one() {
    local line=$1 f name start rc
    f=${line##*--out }; name=$(basename "$f")
    start=$(date +%s)
    mkdir -p "$out/$name.d/resources/models"
    # shellcheck disable=SC2086  # the README's commands have no quoted arguments: split on spaces
    (cd "$out/$name.d" && "$cli" ${line#arlab-cli }) > "$out/$name.log" 2>&1
    rc=$?
    local took=$(( $(date +%s) - start )) made="$out/$name.d/$f"
    if [ $rc -ne 0 ]; then echo "FAILED   $name (exit $rc, ${took} s; log $out/$name.log)"; return 1; fi
    if cmp -s "$made" "$f"; then echo "same     $name (${took} s)"; return 0; fi
    if [ "$RECREATE_UPDATE" = 1 ]; then cp "$made" "$f"; echo "UPDATED  $name (${took} s)"; return 0; fi
    echo "DIFFERS  $name (${took} s)"; return 1
}
export -f one; export cli out RECREATE_UPDATE=$update
{ grep -E 'gated|pixelcnn|words' <<< "$all"; grep -vE 'gated|pixelcnn|words' <<< "$all"; } | grep -E -- "${RECREATE_ONLY:-.}" \
    | tr '\n' '\0' | xargs -0 -P "$jobs" -I{} bash -c 'one "$1"' _ {} > "$out/results.txt"
cat "$out/results.txt"
grep -qvE '^(same|UPDATED) ' "$out/results.txt" && exit 1
exit 0
