#!/usr/bin/env bash
# arlab helper: install what is missing (Debian 12, as root), build, and run the app, the tests or the benchmarks.
#   bash arlab.sh run     install, build Release, launch the app
#   bash arlab.sh test    install, build Release, run every test through CTest
#   bash arlab.sh bench   install, build Release, run the benchmarks
#   bash arlab.sh build   install and build only
#   bash arlab.sh package install, build, make the .deb (BUILD_DIR/arlab_VERSION_ARCH.deb; .ci/package-check tests it)
# Environment: BUILD_DIR (default: build), ARLAB_SIMD (portable|avx2|native, default portable), JOBS.
set -euo pipefail
cd "$(dirname "$0")"
BUILD_DIR=${BUILD_DIR:-build}
ARLAB_SIMD=${ARLAB_SIMD:-portable}
JOBS=${JOBS:-$(nproc)}
PACKAGES=(build-essential cmake qt6-base-dev qt6-base-dev-tools libqcustomplot-dev libeigen3-dev qt6-svg-dev
          qt6-tools-dev qt6-l10n-tools nlohmann-json3-dev xvfb xauth fonts-wqy-microhei dataset-fashion-mnist
          desktop-file-utils appstream file)

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
  *)
    sed -n '2,9p' "$0"; exit 2 ;;
esac
