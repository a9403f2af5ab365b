#pragma once
// The small toy-language training run that the Training dock, worker-thread and controller-job tests start: one
// layer, C 16, a few hundred sentences, seed 7; `steps` is how far it may go (a large value for a run that is
// always stopped or cancelled first).
#include "core/training/tinygpttrain.h"

namespace testutil {

inline ar::ToyGptSettings tinyToyTraining(int steps) {
    ar::ToyGptSettings s;
    s.layers = 1;
    s.heads = 2;
    s.embd = 16;
    s.context = 16;
    s.steps = steps;
    s.lr = 0.01f;
    s.warmup = 10;
    s.sentences = 600;
    s.valTokens = 500;
    s.evalEvery = 20;
    s.seed = 7;
    return s;
}

}  // namespace testutil
