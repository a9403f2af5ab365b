#pragma once
// arlab-cli subcommands: one file per subcommand (cmd_<name>.cpp), each a function (argc, argv) -> exit code.
// argv[0] is "arlab-cli", argv[1] the subcommand name; options start at argv[2].
#include <string>
#include <vector>

namespace arcli {

struct Command {
    const char* name;
    const char* summary;
    int (*run)(int argc, char** argv);
};

// The table in main.cpp; add a line there when you add a cmd_*.cpp.
const std::vector<Command>& commands();

int cmdInfo(int argc, char** argv);
int cmdTranslate(int argc, char** argv);
int cmdTrain(int argc, char** argv);
int cmdGenerate(int argc, char** argv);
int cmdLogits(int argc, char** argv);
int cmdScore(int argc, char** argv);
int cmdAttention(int argc, char** argv);
int cmdBeam(int argc, char** argv);
int cmdTrainImage(int argc, char** argv);
int cmdSampleImage(int argc, char** argv);
int cmdScoreImage(int argc, char** argv);
int cmdTrainRecall(int argc, char** argv);
int cmdRecall(int argc, char** argv);
int cmdGradientFlow(int argc, char** argv);
int cmdTrainMoe(int argc, char** argv);
int cmdMoeRouting(int argc, char** argv);
int cmdTokenize(int argc, char** argv);
int cmdLens(int argc, char** argv);
int cmdSpeculative(int argc, char** argv);

}  // namespace arcli
