# CTest `install_layout`: `cmake --install` into a fresh prefix, then check what a school's PC would get.
#   cmake -DBUILD_DIR=... -P check_install.cmake   (installs into a fresh /tmp/arlab-install-test-XXXXXXXX, removed after)
# - every installed file is there (programs, models, .desktop, metainfo, icons, man pages);
# - the installed arlab-cli finds its built-in models under PREFIX/share/arlab/models;
# - a copy of arlab-cli with no data next to it does NOT fall back to the source folder;
# - desktop-file-validate and appstreamcli validate pass on the installed files.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  set(rc "${rc}" PARENT_SCOPE)
  set(out "${out}" PARENT_SCOPE)
  set(err "${err}" PARENT_SCOPE)
endfunction()
function(fail message)
  message(FATAL_ERROR "install_layout: ${message}")
endfunction()

# Outside the build tree (a program run from the build tree may read the source folder's models).
string(RANDOM LENGTH 8 tag)
set(PREFIX "/tmp/arlab-install-test-${tag}")
file(REMOVE_RECURSE "${PREFIX}")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${PREFIX}")
if(NOT (rc EQUAL 0))
  fail("cmake --install failed: ${err}")
endif()

foreach(f bin/arlab bin/arlab-cli share/applications/org.arlab.arlab.desktop share/metainfo/org.arlab.arlab.metainfo.xml
          share/icons/hicolor/scalable/apps/arlab.svg share/man/man1/arlab.1.gz share/man/man1/arlab-cli.1.gz
          share/arlab/models/toy-word.safetensors share/arlab/models/zh-en-seq2seq.safetensors)
  if(NOT (EXISTS ${PREFIX}/${f}))
    fail("missing ${f}")
  endif()
endforeach()
foreach(size 16 22 24 32 48 64 128 256 512)
  if(NOT (EXISTS ${PREFIX}/share/icons/hicolor/${size}x${size}/apps/arlab.png))
    fail("missing the ${size}x${size} icon")
  endif()
endforeach()

run("${PREFIX}/bin/arlab-cli" info toy-word)
if(NOT (rc EQUAL 0))
  fail("installed arlab-cli info toy-word failed: ${err}")
endif()
string(FIND "${out}" "File: ${PREFIX}/share/arlab/models/toy-word.safetensors" at)
if(NOT (at EQUAL 0))
  fail("installed arlab-cli did not use ${PREFIX}/share/arlab/models:\n${out}")
endif()

run("${PREFIX}/bin/arlab" --version)
if(NOT (rc EQUAL 0))
  fail("arlab --version failed: ${err}")
endif()

file(COPY "${PREFIX}/bin/arlab-cli" DESTINATION "${PREFIX}/lonely/bin")
run("${PREFIX}/lonely/bin/arlab-cli" info toy-word)
if(NOT (NOT rc EQUAL 0))
  fail("arlab-cli without installed data still found toy-word (the source folder?):\n${out}")
endif()
string(FIND "${err}" "no such file and no built-in model of that name" at)
if(NOT (at GREATER -1))
  fail("unexpected message: ${err}")
endif()

run(desktop-file-validate "${PREFIX}/share/applications/org.arlab.arlab.desktop")
if(NOT (rc EQUAL 0))
  fail("desktop-file-validate: ${out}${err}")
endif()
run(appstreamcli validate --no-net "${PREFIX}/share/metainfo/org.arlab.arlab.metainfo.xml")
if(NOT (rc EQUAL 0))
  fail("appstreamcli validate: ${out}${err}")
endif()
file(REMOVE_RECURSE "${PREFIX}")
