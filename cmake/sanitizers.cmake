# Sanitizer and fuzzing builds (see the README's reliability section and arlab.sh sanitize/tsan/fuzz).
#
#   -DARLAB_SANITIZE=address,undefined   ASan + UBSan on every target; the first error aborts (no recovery).
#   -DARLAB_SANITIZE=thread              ThreadSanitizer.
#   -DARLAB_FUZZ=ON                      libFuzzer targets in tests/fuzz (clang only); arcore gets coverage
#                                        instrumentation. Combine with ARLAB_SANITIZE=address,undefined.
# Use a build folder of its own for each (arlab.sh uses build-asan, build-tsan).
set(ARLAB_SANITIZE "" CACHE STRING "comma-separated sanitizers for every target, e.g. address,undefined or thread")
option(ARLAB_FUZZ "build the libFuzzer targets in tests/fuzz (needs clang)" OFF)

if(ARLAB_SANITIZE)
  # -gline-tables-only: reports still name file:line in every frame; full -g cost ~20% more compile time in CI.
  add_compile_options(-fsanitize=${ARLAB_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer -gline-tables-only)
  add_link_options(-fsanitize=${ARLAB_SANITIZE} -fno-sanitize-recover=all)
endif()

if(ARLAB_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ARLAB_FUZZ needs clang (libFuzzer): cmake -DCMAKE_CXX_COMPILER=clang++-14 ...")
  endif()
  # Coverage instrumentation everywhere; the fuzz executables themselves link -fsanitize=fuzzer (tests/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
