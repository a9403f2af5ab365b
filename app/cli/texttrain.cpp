#include "app/cli/texttrain.h"

#include "core/data/toygrammar.h"
#include "core/error.h"
#include "core/io/atomicfile.h"

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace arcli {

using ar::Error;

std::vector<OptionSpec> withTextTrainOptions(std::vector<OptionSpec> own) {
    std::vector<OptionSpec> specs = {
        {"corpus", "toy|FILE", "training text: the built-in toy language or a UTF-8 text file (required)"},
        {"tokenizer", "char|word", "split into characters or whitespace-separated words (toy: word, file: char)"},
        {"context", "N", "window length in tokens (default 32)"},
        {"steps", "N", "optimizer steps (default 1000)"},
        {"batch", "N", "windows per step (default 32)"},
        {"lr", "X", "peak learning rate of AdamW with warmup and cosine decay (default 0.003)"},
        {"warmup", "N", "linear warmup steps (default 50)"},
        {"clip", "X", "global gradient-norm clip, 0 = off (default 1)"},
        {"seed", "N", "seeds the weights, the batches and the toy corpus (default 1)"},
        {"val-fraction", "X", "share of the corpus held out for validation (default 0.1)"},
        {"val-tokens", "N", "validation tokens scored per evaluation (default 20000)"},
        {"toy-sentences", "N", "sentences sampled from the toy language (default 20000)"},
        {"shuffle-lines", "", "shuffle the file's lines (seeded by --seed) before the train/validation split"},
        {"eval-every", "N", "validation loss every N steps (default 100)"},
        {"sample-every", "N", "print a sample every N steps, 0 = never (default 250)"},
        {"out", "FILE", "where to save the model (.safetensors, required)"},
    };
    specs.insert(specs.end(), own.begin(), own.end());
    return specs;
}

ar::TrainConfig TextTrainRun::trainConfig() const { return ar::trainConfig(steps, lr, warmup, evalEvery, clip); }

void checkOutPath(const std::string& out) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(out).parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec)) throw Error("option --out: the folder '" + dir.string() + "' does not exist");
    if (fs::is_directory(out, ec)) throw Error("option --out: '" + out + "' is a folder, give a file name");
    ar::checkWritable(out, "model '" + out + "'");  // e.g. a read-only folder: fail now, not after training
}

std::string requiredOutPath(const Args& args) {
    std::string out = args.required("out");
    checkOutPath(out);
    return out;
}

TextTrainRun readTrainRunOptions(const Args& args, int defaultContext) {
    TextTrainRun run;
    run.corpus = args.required("corpus");
    run.toy = run.corpus == "toy";
    run.context = int(args.integer("context", defaultContext, 1, 1024));
    run.steps = int(args.integer("steps", 1000, 1, 10000000));
    run.batch = int(args.integer("batch", 32, 1, 4096));
    run.lr = float(args.number("lr", 3e-3, 1e-7, 1.0));
    run.warmup = int(args.integer("warmup", 50, 0, 10000000));
    run.clip = float(args.number("clip", 1.0, 0.0, 1e6));
    run.seed = args.seed(1);
    run.valFraction = args.number("val-fraction", 0.1, 0.01, 0.5);
    run.valTokens = int(args.integer("val-tokens", 20000, 1, 100000000));
    run.evalEvery = int(args.integer("eval-every", 100, 0, 10000000));
    run.sampleEvery = int(args.integer("sample-every", 250, 0, 10000000));
    run.out = requiredOutPath(args);
    return run;
}

TextTrainRun prepareTextTraining(const Args& args, int defaultContext) {
    TextTrainRun run = readTrainRunOptions(args, defaultContext);
    run.toySentences = int(args.integer("toy-sentences", 20000, 100, 10000000));
    const std::string tokKind = args.str("tokenizer", run.toy ? "word" : "char");
    if (tokKind != "char" && tokKind != "word") throw Error("option --tokenizer must be 'char' or 'word', got '" + tokKind + "'");
    if (args.has("toy-sentences") && !run.toy) throw Error("option --toy-sentences only applies to --corpus toy");
    if (args.flag("shuffle-lines") && run.toy) throw Error("option --shuffle-lines only applies to a corpus file");

    std::string text;
    ar::Tokenizer tok;
    int boundary = -1;
    const auto kind = tokKind == "word" ? ar::Tokenizer::Kind::Word : ar::Tokenizer::Kind::Char;
    if (run.toy) {
        ar::ToyGrammar g;
        ar::Rng rng(run.seed);
        text = g.sample(rng, run.toySentences);
        tok = kind == ar::Tokenizer::Kind::Word ? g.tokenizer() : ar::Tokenizer::build(kind, text);
        boundary = tok.id(kind == ar::Tokenizer::Kind::Word ? "." : "\n");
    } else {
        text = ar::readTextFile(run.corpus, "corpus");
        run.shuffleLines = args.flag("shuffle-lines");
        if (run.shuffleLines) {
            std::vector<std::string> lines;
            size_t start = 0;
            while (start < text.size()) {
                size_t end = text.find('\n', start);
                if (end == std::string::npos) end = text.size();
                lines.push_back(text.substr(start, end - start));
                start = end + 1;
            }
            ar::Rng rng(run.seed + 4);
            rng.shuffle(lines);
            text.clear();
            for (const auto& l : lines) text += l + "\n";
        }
        tok = ar::Tokenizer::build(kind, text);
        if (kind == ar::Tokenizer::Kind::Char) boundary = tok.id("\n");
        if (tok.size() < 2) throw Error("corpus '" + run.corpus + "' has fewer than 2 distinct tokens");
    }
    try {
        run.data = std::make_unique<ar::TextData>(text, std::move(tok), boundary, run.valFraction, run.context);
    } catch (const Error& e) {
        throw Error("corpus '" + run.corpus + "': " + e.what());
    }
    return run;
}

namespace {
std::atomic<bool> g_stop{false};
extern "C" void onSigint(int) { g_stop.store(true); }
}  // namespace

const std::atomic<bool>* stopOnSigint() {
    g_stop.store(false);
    std::signal(SIGINT, onSigint);
    return &g_stop;
}

std::function<void(const ar::TrainProgress&)> translatorProgress(std::function<std::string(const ar::TrainProgress&)> extra) {
    const bool tty = isatty(fileno(stdout)) != 0;
    return [tty, extra = std::move(extra)](const ar::TrainProgress& p) {
        const bool eval = !std::isnan(p.valLoss);
        if (eval || (tty && p.step % 10 == 0))
            std::printf("%sstep %d/%d  train %.4f  val %s%s  %.0fs%s", tty ? "\r\033[K" : "", p.step, p.totalSteps,
                        p.trainLoss, eval ? std::to_string(p.valLoss).substr(0, 6).c_str() : "-",
                        extra ? extra(p).c_str() : "", p.seconds, eval || !tty ? "\n" : "");
        std::fflush(stdout);
    };
}

ar::ZhEnCorpus translatorCorpus(uint64_t seed, bool words) {
    ar::ZhEnCorpus corpus = ar::makeZhEnCorpus(seed);
    std::printf("zh-en corpus (seed %llu): %zu train, %zu validation, %zu test pairs", (unsigned long long)seed,
                corpus.train.size(), corpus.valid.size(), corpus.test.size());
    if (words) std::printf("; %zu Chinese words, %zu English words", corpus.srcWords.size(), corpus.tgtWords.size());
    std::printf("\n");
    return corpus;
}

nlohmann::json translatorProvenance(const ar::ZhEnCorpus& corpus, uint64_t seed, const ar::TrainResult& r, int argc,
                                    char** argv) {
    nlohmann::json prov;
    prov["corpus"] = "synthetic zh-en corpus (core/data/zhencorpus), split by (subject, verb, object) with seed " +
                     std::to_string(seed);
    prov["seed"] = seed;
    prov["steps"] = r.steps;
    prov["stopped_early"] = r.stopped;
    prov["train_loss"] = r.trainLoss;
    prov["val_loss"] = r.valLoss;
    prov["train_pairs"] = corpus.train.size();
    prov["test_pairs"] = corpus.test.size();
    prov["command"] = commandLine(argc, argv);
    return prov;
}

std::string sampleText(const ar::LanguageModel& model, int tokens, ar::Rng& rng, int first) {
    const int start = first >= 0 ? first : model.bosToken();
    if (start < 0) return "";
    auto state = model.newState();
    ar::DecodeState* s = state.get();
    ar::Tokens out;
    int cur = start;
    const int limit = model.contextLength() > 0 ? std::min(tokens, model.contextLength() - 1) : tokens;
    for (int i = 0; i < limit; ++i) {
        ar::Mat logits = model.step(std::span<ar::DecodeState* const>(&s, 1), std::span<const int>(&cur, 1));
        std::vector<double> p(size_t(logits.cols()));
        const double m = logits.row(0).maxCoeff();
        for (size_t k = 0; k < p.size(); ++k) p[k] = std::exp(double(logits(0, ar::Index(k))) - m);
        cur = rng.categorical(std::span<const double>(p));
        out.push_back(cur);
    }
    std::string text = model.tokenizer().decode(out);
    std::string shown;
    for (char c : text) shown += c == '\n' ? std::string(" | ") : std::string(1, c);
    return shown;
}

std::string commandLine(int argc, char** argv) {
    std::string cmd = "arlab-cli";
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        const bool quote = a.empty() || a.find_first_of(" \t\"'$\\") != std::string::npos;
        cmd += ' ';
        cmd += quote ? "'" + a + "'" : a;
    }
    return cmd;
}

std::string savedNote(const std::string& path) {
    char kb[48];
    std::snprintf(kb, sizeof kb, " (%.0f KB)", double(std::filesystem::file_size(path)) / 1024.0);
    return "saved " + path + kb;
}

std::string provenanceJson(const TextTrainRun& run, const ar::TrainResult& r, int argc, char** argv) {
    nlohmann::json j = ar::textTrainingProvenance(
        run.toy ? "toy language, " + std::to_string(run.toySentences) + " sentences sampled with seed " + std::to_string(run.seed)
                : run.corpus,
        run.seed, r, *run.data);
    if (run.shuffleLines) j["shuffle_lines"] = true;
    if (run.toy && run.data->tokenizer().kind() == ar::Tokenizer::Kind::Word)
        j["entropy_rate"] = ar::ToyGrammar().entropyRate();
    j["command"] = commandLine(argc, argv);
    return j.dump();
}

TrainReporter::TrainReporter(const TextTrainRun& run, const ar::LanguageModel& model)
    : m_run(run), m_model(model), m_tty(isatty(fileno(stdout)) != 0), m_sampleRng(run.seed + 3) {}

void TrainReporter::onStep(const ar::TrainProgress& p) {
    const bool eval = !std::isnan(p.valLoss);
    if (eval) m_lastVal = p.valLoss;
    if (!p.problem.empty()) std::printf("%sstep %d refused: %s\n", m_tty ? "\r\033[K" : "", p.step, p.problem.c_str());
    if (m_tty) {
        if (eval || p.step == p.totalSteps || p.seconds - m_lastDraw > 0.1) {
            m_lastDraw = p.seconds;
            const int width = 30, filled = int(double(width) * p.step / p.totalSteps);
            const double eta = p.step ? p.seconds / p.step * (p.totalSteps - p.step) : 0;
            std::printf("\r\033[K[%s%s] %d/%d  train %.4f  val %s  lr %.2e  %.0fs (eta %.0fs)", std::string(size_t(filled), '#').c_str(),
                        std::string(size_t(width - filled), '.').c_str(), p.step, p.totalSteps, p.trainLoss,
                        m_lastVal < 0 ? "-" : std::to_string(m_lastVal).substr(0, 6).c_str(), p.lr, p.seconds, eta);
            if (eval) std::printf("\n");
            std::fflush(stdout);
        }
    } else if (eval) {
        std::printf("step %d/%d  train %.4f  val %.4f  lr %.2e  %.1fs\n", p.step, p.totalSteps, p.trainLoss, p.valLoss, p.lr, p.seconds);
        std::fflush(stdout);
    }
    if (m_run.sampleEvery > 0 && p.step % m_run.sampleEvery == 0) {
        ar::NoGradGuard ng;
        std::printf("%ssample: %s\n", m_tty ? "\r\033[K" : "", sampleText(m_model, 40, m_sampleRng).c_str());
        std::fflush(stdout);
    }
}

void TrainReporter::finish() {
    if (m_tty) std::printf("\n");
}

}  // namespace arcli
