// arlab-cli translate MODEL --src "我 爱 你" [--width K] [--json]: translate with the seq2seq model and show
// each target word's probability and its cross-attention row over the source words.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/decoding/beamsearch.h"
#include "core/error.h"
#include "core/io/modelregistry.h"
#include "core/models/seq2seq.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace arcli {

int cmdTranslate(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"src", "TEXT", "the Chinese sentence, words separated by spaces (required)"},
        {"width", "K", "beam width (default 1 = greedy)"},
        {"max-length", "N", "longest translation in words, </s> included (default 30)"},
        {"json", "", "print {\"tokens\", \"p\", \"attention\"} as JSON"},
        {"help", "", "show this help"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli translate MODEL --src \"我 爱 你\" [--width K] [--json]")) return 0;
    args.expectPositional(1, "MODEL");
    const std::string path = resolveModelPath(args.positional()[0]);
    const int width = int(args.integer("width", 1, 1, 64));
    const int maxLen = int(args.integer("max-length", 30, 1, 1000));
    const std::string srcText = args.required("src");
    std::shared_ptr<const ar::Seq2Seq> model = ar::loadTranslator(path);
    const ar::Tokens src = model->encodeSource(srcText);

    ar::Tokens out;
    if (width == 1) {
        out = ar::translateGreedy(*model, src, maxLen).tokens;
    } else {
        auto lm = std::make_shared<ar::TranslatorLM>(model, src);
        ar::BeamSettings bs;
        bs.width = width;
        bs.maxLength = maxLen;
        ar::BeamSearch beam(lm, {model->bos()}, bs);
        beam.run();
        const auto best = beam.nbest();
        if (best.empty()) throw ar::Error("beam search finished no hypothesis within --max-length " + std::to_string(maxLen));
        out = best.front().tokens;
    }
    // Replay the chosen words through the decoder: each word's probability and attention row.
    ar::TranslatorLM lm(model, src);
    auto state = lm.newState();
    ar::DecodeState* s = state.get();
    int prev = model->bos();
    std::vector<std::string> words;
    std::vector<double> p;
    std::vector<std::vector<float>> attention;
    for (int tok : out) {
        const ar::Mat logits = lm.step(std::span<ar::DecodeState* const>(&s, 1), std::span<const int>(&prev, 1));
        requireFinite(logits, path, "logits");
        const double mx = logits.row(0).maxCoeff();
        double z = 0;
        for (ar::Index v = 0; v < logits.cols(); ++v) z += std::exp(double(logits(0, v)) - mx);
        p.push_back(std::exp(double(logits(0, tok)) - mx) / z);
        const ar::Mat a = lm.lastAttention(*s).at(0);
        requireFinite(a, path, "attention weights");
        attention.emplace_back(a.data(), a.data() + a.size());
        words.push_back(model->tgtTokenizer().token(tok));
        prev = tok;
    }
    const std::vector<std::string> srcWords = model->srcTokenizer().split(srcText);
    if (args.flag("json")) {
        nlohmann::json j;
        j["source"] = srcWords;
        j["tokens"] = words;
        j["p"] = p;
        j["attention"] = attention;
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::string text;
    for (const auto& w : words)
        if (w != "</s>") text += (text.empty() ? "" : " ") + w;
    std::printf("%s\n\n%-10s %6s  attention over:", text.c_str(), "word", "p");
    for (const auto& w : srcWords) std::printf(" %s", w.c_str());
    std::printf("\n");
    for (size_t t = 0; t < words.size(); ++t) {
        std::printf("%-10s %6.3f ", words[t].c_str(), p[t]);
        for (float a : attention[t]) std::printf(" %4.2f", a);
        std::printf("\n");
    }
    return 0;
}

}  // namespace arcli
