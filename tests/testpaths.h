#pragma once
// Where the tests and benchmarks find this checkout and the programs built from it (plain C++, no Qt).
//
// The paths are defined in ONE generated source (tests/CMakeLists.txt writes build/tests/testpaths.cpp; library
// arlab_testpaths), not passed as -D definitions: a path in a compile command differs per worktree and clone, so
// ccache would miss every test object in each new checkout. Only testpaths.cpp misses now.
//
//   sourceDir()            the checkout's root folder (the one CMake configured)
//   cliPath() / guiPath()  the built arlab-cli / arlab
//   lupdatePath() / lreleasePath()  Qt's lupdate / lrelease; lupdateDirs() / lupdateOptions(): how update_translations runs it
//   arcoreLinkFile()       arcore's link libraries as CMake resolved them (tst_core_layering)
//   sourcePath(rel)        sourceDir() + "/" + rel
//   modelPath(name)        the shipped model resources/models/NAME.safetensors (testutil::shipped() in
//                          testutil.h also fails the test when it is missing)
#include <string>
#include <string_view>

namespace testutil {

const char* sourceDir();
const char* cliPath();
const char* guiPath();
const char* lupdatePath();
const char* lreleasePath();
const char* lupdateDirs();     // "app/gui widgets core/decoding/stages": what update_translations reads
const char* lupdateOptions();  // its options, separated by spaces
const char* arcoreLinkFile();

inline std::string sourcePath(std::string_view relative) {
    std::string path = sourceDir();
    path += '/';
    path += relative;
    return path;
}

inline std::string modelPath(std::string_view name) {
    std::string path = sourcePath("resources/models/");
    path += name;
    path += ".safetensors";
    return path;
}

}  // namespace testutil
