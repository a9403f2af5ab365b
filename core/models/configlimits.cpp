#include "core/models/configlimits.h"

#include "core/error.h"
#include "core/models/charrnn.h"
#include "core/models/made.h"
#include "core/models/pixelcnnconfig.h"
#include "core/models/seq2seq.h"
#include "core/models/tinygpt.h"

namespace ar {

// Every factor below is range-checked (at most 10^6) before these run, so no product of three overflows int64.
int64_t minParameters(const TinyGptConfig& c) {
    const int64_t V = c.vocabSize, C = c.embd, L = c.layers, T = c.contextLength;
    const int64_t K = int64_t(c.kvHeadCount()) * (c.heads > 0 ? C / c.heads : C);  // key/value width
    return V * C + (c.pos == PositionMode::Learned ? T * C : 0) + L * (2 * C * C + 2 * C * K + 8 * C * C);  // wte, wpe, attn, MLP
}

int64_t minParameters(const CharRnnConfig& c) {
    const int64_t V = c.vocabSize, E = c.embd, H = c.hidden, L = c.layers;
    const int64_t gates = c.cell == nn::CellType::Lstm ? 4 : c.cell == nn::CellType::Gru ? 3 : 1;
    return V * E + gates * H * (E + H) + (L - 1) * gates * H * 2 * H + H * V;
}

int64_t minParameters(const Seq2SeqConfig& c) {
    const int64_t E = c.embd, H = c.hidden;
    return (int64_t(c.srcVocab) + c.tgtVocab) * E + 4 * H * (E + H) + 4 * H * (E + (c.inputFeed ? H : 0) + H) +
           2 * H * H + H * c.tgtVocab;
}

int64_t minParameters(const PixelCnnConfig& c, bool gated) {
    const int64_t C = c.channels, L = c.layers, k1 = c.firstKernel, k = c.kernel, P = int64_t(c.height) * c.width;
    if (!gated) return C * k1 * k1 + L * C * C * k * k + C * C + (c.positions ? P * C : 0) + c.classes * C;
    // gated: two stacks of 2C outputs per layer (the first from 1 input channel), vToH 4C^2, hOut C^2
    return 2 * 2 * C * k1 * k1 + (L - 1) * 2 * 2 * C * C * k * k + L * 5 * C * C + (c.positions ? P * 2 * C : 0) +
           L * c.classes * 2 * C;
}

int64_t minParameters(const MadeConfig& c) {
    const int64_t D = int64_t(c.height) * c.width;
    int64_t n = 0, prev = D;
    for (int h : c.hidden) n += prev * h, prev = h;
    return n + prev * D;
}

void checkParameterLimit(int64_t minParams, const std::string& what) {
    if (minParams > kMaxParameters)
        throw Error(what + ": the configuration has at least " + std::to_string(minParams) +
                    " parameters, more than the limit of " + std::to_string(kMaxParameters));
}

void checkFileHoldsParameters(int64_t minParams, const SafeTensors& file, const std::string& label) {
    int64_t values = 0;
    for (const auto& t : file.tensors) values += int64_t(t.count());
    if (minParams > values)
        throw Error(label + ": the configuration has at least " + std::to_string(minParams) +
                    " parameters but the file holds only " + std::to_string(values) + " values");
}

namespace {
void need(bool ok, const std::string& what, const std::string& msg) {
    if (!ok) throw Error(what + ": " + msg);
}
std::string range(int64_t v, int64_t lo, int64_t hi) {
    return std::to_string(v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi);
}
}  // namespace

void validatePixelCnnConfig(const PixelCnnConfig& c, bool gated) {
    const std::string what = gated ? "gatedpixelcnn config" : "pixelcnn config";
    need(c.height >= 2 && c.height <= kMaxImageSide, what, "'height' = " + range(c.height, 2, kMaxImageSide));
    need(c.width >= 2 && c.width <= kMaxImageSide, what, "'width' = " + range(c.width, 2, kMaxImageSide));
    const int64_t P = int64_t(c.height) * c.width;
    need(P <= kMaxImagePixels, what, "the image has " + std::to_string(P) + " pixels, more than the limit of " +
                                         std::to_string(kMaxImagePixels));
    need(c.channels >= 1 && c.channels <= 512, what, "'channels' = " + range(c.channels, 1, 512));
    const int minLayers = gated ? 1 : 0;
    need(c.layers >= minLayers && c.layers <= 64, what, "'layers' = " + range(c.layers, minLayers, 64));
    need(c.firstKernel >= 3 && c.firstKernel <= 15 && c.firstKernel % 2 == 1, what,
         "'first_kernel' must be odd and in 3..15, got " + std::to_string(c.firstKernel));
    need(c.kernel >= 1 && c.kernel <= 15 && c.kernel % 2 == 1, what,
         "'kernel' must be odd and in 1..15, got " + std::to_string(c.kernel));
    need(c.classes >= 0 && c.classes <= 1000, what, "'classes' = " + range(c.classes, 0, 1000));
    const int64_t act = P * c.channels * (int64_t(c.layers) + 2) * (gated ? 4 : 1);
    need(act <= kMaxImageActivations, what,
         "pixels x channels x layers = " + std::to_string(act) + " activations per image, more than the limit of " +
             std::to_string(kMaxImageActivations));
    checkParameterLimit(minParameters(c, gated), what);
}

void validateMadeConfig(const MadeConfig& c) {
    const std::string what = "made config";
    need(c.height >= 1 && c.height <= kMaxImageSide, what, "'height' = " + range(c.height, 1, kMaxImageSide));
    need(c.width >= 1 && c.width <= kMaxImageSide, what, "'width' = " + range(c.width, 1, kMaxImageSide));
    const int64_t D = int64_t(c.height) * c.width;
    need(D >= 2, what, "the image needs at least 2 pixels");
    need(D <= kMaxImagePixels, what, "the image has " + std::to_string(D) + " pixels, more than the limit of " +
                                         std::to_string(kMaxImagePixels));
    need(!c.hidden.empty() && c.hidden.size() <= 8, what,
         "'hidden' must list 1 to 8 layer sizes, it lists " + std::to_string(c.hidden.size()));
    for (int h : c.hidden) need(h >= 1 && h <= 65536, what, "a hidden layer size of " + range(h, 1, 65536));
    need(c.masks >= 1 && c.masks <= 64, what, "'masks' = " + range(c.masks, 1, 64));
    checkParameterLimit(minParameters(c), what);
}

}  // namespace ar
