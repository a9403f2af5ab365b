// arlab-cli translate MODEL --src "我 爱 你" [--mode ar|nat|mask-predict|semi] [--iterations K] [--block K]
// [--width K] [--json]: translate with the seq2seq model (ar: one word per decoder pass, each word's probability
// and cross-attention row) or with the non-autoregressive translator (nat: one pass; mask-predict: K passes;
// semi: blocks of k words; ar = blocks of 1), showing every pass.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/decoding/beamsearch.h"
#include "core/error.h"
#include "core/decoding/paralleldecode.h"
#include "core/io/modelregistry.h"
#include "core/models/nat.h"
#include "core/models/seq2seq.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace arcli {

namespace {

std::vector<std::string> words(const ar::Tokenizer& t, const ar::Tokens& ids) {
    std::vector<std::string> w;
    for (int id : ids) w.push_back(t.token(id));
    return w;
}

// The non-autoregressive translator: every pass as a row (masked words as [MASK], confidences).
int translateParallel(const Args& args, const ar::NatTranslator& model, const std::string& srcText, const std::string& mode) {
    if (args.has("width")) throw ar::Error("--width (beam search) needs the autoregressive seq2seq translator, not a nat model");
    ar::ParallelOptions o;
    o.mode = mode == "ar" ? ar::ParallelMode::Semi : ar::parseParallelMode(mode);
    if (args.has("iterations") && o.mode != ar::ParallelMode::MaskPredict)
        throw ar::Error("--iterations only applies to --mode mask-predict");
    if (args.has("block") && (o.mode != ar::ParallelMode::Semi || mode == "ar"))
        throw ar::Error("--block only applies to --mode semi");
    o.iterations = int(args.integer("iterations", 4, 1, 100));
    o.block = mode == "ar" ? 1 : int(args.integer("block", 2, 1, 512));
    if (args.has("max-length")) throw ar::Error("--max-length applies to --mode ar with a seq2seq model; a nat model predicts the length");
    const ar::Tokens src = model.encodeSource(srcText);
    const ar::ParallelTranslation tr = ar::translateParallel(model, src, o);
    const ar::Tokenizer& tok = model.tgtTokenizer();
    if (args.flag("json")) {
        nlohmann::json j;
        j["source"] = model.srcTokenizer().split(srcText);
        j["mode"] = mode;
        j["tokens"] = words(tok, tr.tokens);
        j["passes"] = tr.passes;
        j["length"] = tr.length;
        j["iterations"] = nlohmann::json::array();
        for (const auto& it : tr.iterations)
            j["iterations"].push_back({{"tokens", words(tok, it.tokens)}, {"confidence", it.confidence}, {"masked", it.masked}});
        std::printf("%s\n", j.dump().c_str());
        return 0;
    }
    std::string text;
    for (const auto& w : words(tok, tr.tokens)) text += (text.empty() ? "" : " ") + w;
    std::printf("%s\n\n%s: %d sequential decoder pass%s, length %d (p %.3f)\n", text.c_str(), mode.c_str(), tr.passes,
                tr.passes == 1 ? "" : "es", tr.length, tr.lengthProbs[size_t(tr.length - 1)]);
    for (size_t i = 0; i < tr.iterations.size(); ++i) {
        const auto& it = tr.iterations[i];
        std::printf("pass %zu:", i + 1);
        for (size_t t = 0; t < it.tokens.size(); ++t)
            std::printf(" %s%s(%.2f)", it.masked[t] ? "*" : "", tok.token(it.tokens[t]).c_str(), it.confidence[t]);
        std::printf("\n");
    }
    std::printf("(* = predicted in this pass; [MASK] = not decided yet)\n");
    return 0;
}

}  // namespace

int cmdTranslate(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"src", "TEXT", "the Chinese sentence, words separated by spaces (required)"},
        {"mode", "ar|nat|mask-predict|semi", "ar (default): one word per pass; nat: one parallel pass; mask-predict: "
                 "--iterations passes of re-masking; semi: blocks of --block words (the last three need a nat model)"},
        {"iterations", "K", "mask-predict passes (default 4)"},
        {"block", "K", "semi-autoregressive block size in words (default 2)"},
        {"width", "K", "beam width (default 1 = greedy; seq2seq only)"},
        {"max-length", "N", "longest translation in words, </s> included (default 30)"},
        {"json", "", "print {\"tokens\", \"iterations\", \"passes\", ...} as JSON"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli translate MODEL --src \"我 爱 你\" [--mode ar|nat|mask-predict|semi] [--iterations K] "
                       "[--block K] [--width K] [--json]")) return 0;
    args.expectPositional(1, "MODEL");
    const std::string path = resolveModelPath(args.positional()[0]);
    const std::string mode = args.str("mode", "ar");
    if (mode != "ar") ar::parseParallelMode(mode);  // names the choices for a wrong mode
    const std::string label = "model '" + path + "'";
    const ar::OpenedModel opened = ar::loadModel(path);
    {
        if (opened.family == ar::ModelFamily::ParallelTranslator)
            return translateParallel(args, *opened.parallel, args.required("src"), mode);
        if (mode != "ar")
            throw ar::Error("--mode " + mode + " needs a non-autoregressive translator (e.g. zh-en-nat); '" +
                            args.positional()[0] + "' is not one");
        if (args.has("iterations") || args.has("block"))
            throw ar::Error("--iterations and --block need a non-autoregressive translator (e.g. zh-en-nat)");
    }
    const int width = int(args.integer("width", 1, 1, 64));
    const int maxLen = int(args.integer("max-length", 30, 1, 1000));
    const std::string srcText = args.required("src");
    std::shared_ptr<const ar::Seq2Seq> model = ar::requireFamily(opened, ar::ModelFamily::Translator, label).translator;
    const ar::Tokens src = model->encodeSource(srcText);

    ar::Tokens out;
    if (width == 1) {
        out = ar::translateGreedy(*model, src, maxLen).tokens;
    } else {
        auto lm = std::make_shared<ar::TranslatorLM>(model, src);
        ar::BeamSettings bs;
        bs.width = width;
        bs.maxLength = maxLen;
        ar::BeamSearch beam(lm, {}, bs);   // (BeamSearch feeds the model's <s> itself)
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
        j["mode"] = "ar";
        j["passes"] = int(words.size());  // one decoder pass per word, </s> included
        // one pass per word: the words so far with their probabilities, the new word marked
        j["iterations"] = nlohmann::json::array();
        for (size_t t = 0; t < words.size(); ++t) {
            std::vector<bool> masked(t + 1, false);
            masked[t] = true;
            j["iterations"].push_back({{"tokens", std::vector<std::string>(words.begin(), words.begin() + long(t + 1))},
                                       {"confidence", std::vector<double>(p.begin(), p.begin() + long(t + 1))},
                                       {"masked", masked}});
        }
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
