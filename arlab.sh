#!/usr/bin/env bash
# arlab helper: install what is missing (Debian 12, as root), build, and run the app, the tests or the benchmarks.
#   bash arlab.sh run     install, build Release, launch the app
#   bash arlab.sh test    install, build Release, run every test through CTest
#   bash arlab.sh bench   install, build Release, run the benchmarks
#   bash arlab.sh build   install and build only
#   bash arlab.sh package install, build, make the .deb (BUILD_DIR/arlab_VERSION_ARCH.deb; .ci/package-check tests it)
#   bash arlab.sh sanitize      ASan + UBSan build (clang, build-asan) of core, arlab-cli and tst_core_*; runs those tests
#   bash arlab.sh tsan          ThreadSanitizer build (clang, build-tsan); runs the worker start/stop tests
#   bash arlab.sh fuzz [SECONDS] [RUNS]  libFuzzer targets (clang, build-asan, under ASan + UBSan), each for SECONDS
#                               (default 30) or RUNS executions, whichever comes first
# Environment: BUILD_DIR (default: build), ARLAB_SIMD (portable|avx2|native, default portable), JOBS.
set -euo pipefail
cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}
ARLAB_SIMD=${ARLAB_SIMD:-portable}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(build-essential cmake qt6-base-dev qt6-base-dev-tools libqcustomplot-dev libeigen3-dev qt6-svg-dev
          qt6-tools-dev qt6-l10n-tools nlohmann-json3-dev libspng-dev zlib1g-dev libpcre2-dev pkgconf xvfb xauth
          fonts-wqy-microhei dataset-fashion-mnist desktop-file-utils appstream file clang-14 libfuzzer-14-dev
          libclang-rt-14-dev)

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "arlab: installing missing Debian packages: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then echo "arlab: run as root (or install these packages yourself)" >&2; exit 1; fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

build() {  # [target]: only that target (the app), else everything (tests and benchmarks too)
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DARLAB_SIMD="$ARLAB_SIMD"
  cmake --build "$BUILD_DIR" -j "$JOBS" ${1:+--target "$1"}
}

# The sanitizer builds use clang (libFuzzer needs it) and build only what they run.
#   $1 folder  $2 ARLAB_SANITIZE value  $3 ARLAB_FUZZ (ON|OFF)  $4... targets
sanitized_build() {
  local dir=$1 sanitize=$2 fuzz=$3
  shift 3
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DARLAB_SIMD="$ARLAB_SIMD" -DCMAKE_CXX_COMPILER=clang++-14 \
        -DARLAB_SANITIZE="$sanitize" -DARLAB_FUZZ="$fuzz"
  cmake --build "$dir" -j "$JOBS" --target "$@"
}
# Errors abort (a crash, so a test or a CLI run under test fails); the slowdown scales the tests' liveness bounds.
# QTEST_DISABLE_STACK_DUMP: Qt Test's crash handler forks a debugger, which deadlocks inside a sanitizer's abort.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:abort_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:second_deadlock_stack=1}

# Not run sanitized: statistical tests that only repeat the same numeric kernels over thousands of seeded
# samples (minutes under ASan, no input parsing); they run in the Release test step.
ASAN_SKIP=(tst_core_speculative tst_core_seq2seq)
sanitize() {  # ASan + UBSan: the core tests (including the CLI ones, which run the sanitized arlab-cli)
  local tests=() src name
  for src in tests/tst_core_*.cpp; do
    name=$(basename "$src" .cpp)
    [[ " ${ASAN_SKIP[*]} " == *" $name "* ]] || tests+=("$name")
  done
  sanitized_build build-asan address,undefined ON arlab-cli "${tests[@]}"   # only what runs
  (cd build-asan && ARLAB_TEST_SLOWDOWN=4 QT_QPA_PLATFORM=offscreen QTEST_DISABLE_STACK_DUMP=1 ctest --output-on-failure -j "$JOBS" \
     -R "^($(IFS='|'; echo "${tests[*]}"))\$")
}

tsan() {  # ThreadSanitizer: the tests that start and stop worker threads, and the kernels' thread pool
  sanitized_build build-tsan thread OFF "${TSAN_TESTS[@]}" tst_core_kernels
  local regex
  regex="^($(IFS='|'; echo "${TSAN_TESTS[*]}"))\$"
  (cd build-tsan && export TSAN_OPTIONS="$TSAN_OPTIONS:suppressions=$PWD/../tests/tsan.supp" ARLAB_TEST_SLOWDOWN=10 \
     QT_QPA_PLATFORM=offscreen QTEST_DISABLE_STACK_DUMP=1 &&
   ctest --output-on-failure -j "$JOBS" -R "$regex" &&
   ./tests/tst_core_kernels "${TSAN_KERNEL_FUNCTIONS[@]}")
}
TSAN_TESTS=(tst_workerthreads)
# The functions of tst_core_kernels that run the pool on 2 or 3 threads (products, split attention over 180 decode
# steps, callers at once, a training step). Not its CLI rows: they start arlab-cli through QProcess, and clang 14's
# TSan runtime aborts in fork() from a process whose pool threads are alive (CHECK failed in ForkAfter), a limit of
# the runtime, not a race; they run in the Release and ASan steps.
TSAN_KERNEL_FUNCTIONS=(threadsGiveTheSameBits decodeStepsWithSplitAttention concurrentCallers trainingStepSameBits)

fuzz_one() {  # $1 target executable, $2 seconds, $3 runs (0: no limit): 0 when it ran with no finding
  local t=$1 seconds=$2 runs=${3:-0} name work
  name=$(basename "$t")
  work=build-asan/fuzz-work/$name
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/findings"
  if ! "$t" "$work/corpus" "tests/fuzz/corpus/$name" \
       -max_total_time="$seconds" -runs="$((runs > 0 ? runs : -1))" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$work/findings/" >"$work/log" 2>&1; then
    echo "arlab: $name found a problem (input in $work/findings/):"
    tail -n 40 "$work/log"
    return 1
  fi
  echo "== $name: $(grep -E '^Done [0-9]+ runs in' "$work/log" | awk '{print $5}') s, $(grep -E '^stat::number_of_executed_units' "$work/log" | awk '{print $2}') executions, $(grep -oE 'DONE +cov: [0-9]+' "$work/log" | awk '{print $3}') edges covered, $(grep -E '^stat::peak_rss_mb' "$work/log" | awk '{print $2}') MB peak, 0 findings"
}

fuzz() {  # every tests/fuzz target for $1 seconds (default 30) or $2 runs from its seed corpus, JOBS at a time;
  local seconds=${1:-30} runs=${2:-0} failed=0 t pids=() p   # any finding fails
  sanitized_build build-asan address,undefined ON arlab_fuzzers
  for t in build-asan/tests/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 1; done
    fuzz_one "$t" "$seconds" "$runs" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  return $failed
}

cmd=${1:-}
case "$cmd" in
  run)
    install_deps; build arlab
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "arlab: no display found; starting the app inside Xvfb (set DISPLAY to use your screen)"
      exec xvfb-run -a "$BUILD_DIR/app/arlab" "${@:2}"
    fi
    exec "$BUILD_DIR/app/arlab" "${@:2}" ;;
  test)
    install_deps; build
    cd "$BUILD_DIR" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j "$JOBS" ;;
  bench)
    install_deps; build
    for b in "$BUILD_DIR"/tests/bench/bench_*; do [ -x "$b" ] && { echo "== $b"; "$b"; }; done ;;
  build)
    install_deps; build ;;
  package)
    install_deps; build
    (cd "$BUILD_DIR" && cpack -G DEB) ;;
  sanitize)
    install_deps; sanitize ;;
  tsan)
    install_deps; tsan ;;
  fuzz)
    install_deps; fuzz "${2:-30}" "${3:-0}" ;;
  *)
    sed -n '2,13p' "$0"; exit 2 ;;
esac
