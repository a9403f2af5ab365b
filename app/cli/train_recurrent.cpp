// arlab-cli train rnn|lstm|gru: a character/word recurrent language model with truncated BPTT.
// arlab-cli train seq2seq: the zh->en translator with attention (teacher forcing or scheduled sampling).
#include "app/cli/texttrain.h"
#include "app/cli/trainers.h"
#include "core/data/zhencorpus.h"
#include "core/error.h"
#include "core/models/charrnn.h"
#include "core/training/seq2seqtrain.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace arcli {

namespace {

// The English side of the synthetic translation corpus, one sentence per line, shuffled with the seed.
std::string englishText(uint64_t seed) {
    auto pairs = ar::allZhEnPairs();
    ar::Rng rng(seed);
    rng.shuffle(pairs);
    std::string text;
    for (const auto& p : pairs) text += p.tgtText() + "\n";
    return text;
}

}  // namespace

int trainRecurrent(int argc, char** argv) {
    const std::string kind = argv[2];
    auto specs = withTextTrainOptions({
        {"layers", "N", "recurrent layers (default 1)"},
        {"embd", "N", "embedding width E (default 32)"},
        {"hidden", "N", "hidden width H (default 128)"},
    });
    for (auto& s : specs)
        if (s.name == "corpus") s = {"corpus", "english|toy|FILE", "english: the English side of the zh-en corpus; toy: the toy language; or a UTF-8 file"};
    Args args(argc, argv, 3, specs);
    if (args.printHelp("Usage: arlab-cli train " + kind + " --corpus english|toy|FILE --out FILE [options]\n\nTruncated "
                       "BPTT: the batch holds B parallel streams; each step trains on the next --context tokens of every "
                       "stream, carrying the hidden state over (detached)."))
        return 0;
    args.expectPositional(0);
    ar::CharRnnConfig cfg;
    cfg.cell = ar::nn::parseCellType(kind);
    cfg.layers = int(args.integer("layers", 1, 1, 4));
    cfg.embd = int(args.integer("embd", 32, 1, 4096));
    cfg.hidden = int(args.integer("hidden", 128, 1, 4096));

    TextTrainRun run;
    if (args.str("corpus") == "english") {
        run = readTrainRunOptions(args, 64);  // the shared options, with a generated corpus
        if (args.str("tokenizer", "char") != "char") throw ar::Error("--corpus english is character level (--tokenizer char)");
        const std::string text = englishText(run.seed);
        ar::Tokenizer tok = ar::Tokenizer::build(ar::Tokenizer::Kind::Char, text);
        const int boundary = tok.id("\n");
        run.data = std::make_unique<ar::TextData>(text, std::move(tok), boundary, run.valFraction, run.context);
    } else {
        run = prepareTextTraining(args, 64);
    }
    const ar::Tokenizer& tok = run.data->tokenizer();
    cfg.vocabSize = tok.size();
    cfg.bos = cfg.eos = run.data->boundary();
    Eigen::setNbThreads(1);

    ar::Rng rng(run.seed);
    ar::CharRnn model(cfg, tok, rng);
    ar::Adam opt(model.parameters(), run.lr);
    size_t params = 0;
    for (const auto& p : model.parameters()) params += size_t(p.var.value().size());
    std::printf("%s: %d layer(s), embd %d, hidden %d, vocab %d, %zu parameters; truncated BPTT over %d tokens\n",
                kind.c_str(), cfg.layers, cfg.embd, cfg.hidden, tok.size(), params, run.context);
    std::printf("corpus %s: %zu training tokens, %zu validation tokens\n", run.corpus.c_str(), run.data->train().size(),
                run.data->val().size());

    // B parallel streams over the training tokens; each step takes the next T tokens of every stream.
    const ar::Tokens& stream = run.data->train();
    const int B = run.batch, T = run.context;
    const size_t per = stream.size() / size_t(B);
    if (per < size_t(T) + 1) throw ar::Error("corpus too short for --batch " + std::to_string(B) + " streams of --context " + std::to_string(T));
    size_t cursor = 0;
    ar::nn::RecurrentState carry = model.zeroState(B);
    const auto valBatches = run.data->validationBatches(B, run.valTokens);
    auto lossOf = [&](const ar::TextBatch& b) {
        std::vector<ar::Tokens> in(size_t(b.B)), tg(size_t(b.B));
        for (int r = 0; r < b.B; ++r) {
            in[size_t(r)].assign(b.inputs.begin() + r * b.T, b.inputs.begin() + (r + 1) * b.T);
            tg[size_t(r)].assign(b.targets.begin() + r * b.T, b.targets.begin() + (r + 1) * b.T);
        }
        ar::nn::RecurrentState s = model.zeroState(b.B);
        return model.chunkLoss(in, tg, s).item();
    };
    TrainReporter reporter(run, model);
    ar::TrainHooks hooks;
    hooks.batchLoss = [&](int) {
        if (cursor + size_t(T) + 1 > per) {  // wrap around: start the streams again from zero state
            cursor = 0;
            carry = model.zeroState(B);
        }
        std::vector<ar::Tokens> in(static_cast<size_t>(B)), tg(static_cast<size_t>(B));
        for (int b = 0; b < B; ++b) {
            auto start = stream.begin() + long(size_t(b) * per + cursor);
            in[size_t(b)].assign(start, start + T);
            tg[size_t(b)].assign(start + 1, start + T + 1);
        }
        cursor += size_t(T);
        carry = carry.detached();  // truncated BPTT: keep the state, drop its history
        return model.chunkLoss(in, tg, carry);
    };
    hooks.validationLoss = [&] {
        ar::NoGradGuard ng;
        return float(ar::meanLoss(valBatches, lossOf));
    };
    hooks.onStep = [&](const ar::TrainProgress& p) { reporter.onStep(p); };
    const ar::TrainResult result = ar::train(opt, run.trainConfig(), hooks, stopOnSigint());
    reporter.finish();

    nlohmann::json prov = nlohmann::json::parse(provenanceJson(run, result, argc, argv));
    if (run.corpus == "english")
        prov["corpus"] = "English side of the synthetic zh-en corpus (every sentence, shuffled with seed " +
                         std::to_string(run.seed) + ")";
    prov["bptt"] = T;
    model.provenanceJson = prov.dump();
    ar::saveCharRnn(model, run.out);
    if (result.stopped) std::printf("interrupted at step %d: checkpoint saved\n", result.steps);
    std::printf("%s: %d steps, train loss %.4f, validation loss %.4f nats/token\n", savedNote(run.out).c_str(),
                result.steps, result.trainLoss, result.valLoss);
    return 0;
}

int trainSeq2SeqCmd(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"steps", "N", "optimizer steps (default 1500)"},
        {"batch", "N", "sentence pairs per step (default 32)"},
        {"lr", "X", "peak Adam learning rate, warmup then cosine decay (default 0.003)"},
        {"embd", "N", "word embedding width E (default 48)"},
        {"hidden", "N", "LSTM width H (default 96)"},
        {"no-input-feed", "", "do not feed h~_{t-1} into the decoder"},
        {"bridge", "", "start the decoder from the encoder's final state (default: zeros)"},
        {"schedule", "tf|linear|exp|invsigmoid", "teacher-forcing probability over training (default tf = always)"},
        {"k", "X", "schedule parameter: linear 1-i/k, exponential k^i, inverse sigmoid k/(k+exp(i/k))"},
        {"min-tf", "X", "lowest teacher-forcing probability (default 0)"},
        {"seed", "N", "seeds the corpus split, the weights and the batches (default 1)"},
        {"eval-every", "N", "validation loss every N steps (default 250)"},
        {"out", "FILE", "where to save the model (.safetensors, required)"},
    };
    Args args(argc, argv, 3, specs);
    if (args.printHelp("Usage: arlab-cli train seq2seq --out FILE [options]\n\nTrains the zh->en translator (LSTM encoder, "
                       "LSTM decoder, Luong dot attention) on the synthetic corpus, then reports greedy exact match and "
                       "attention/alignment agreement on the held-out test split.")) return 0;
    args.expectPositional(0);
    ar::Seq2SeqTrainOptions o;
    o.steps = int(args.integer("steps", 1500, 1, 10000000));
    o.batch = int(args.integer("batch", 32, 1, 4096));
    o.lr = float(args.number("lr", 3e-3, 1e-7, 1.0));
    o.embd = int(args.integer("embd", 48, 1, 1024));
    o.hidden = int(args.integer("hidden", 96, 1, 1024));
    o.inputFeed = !args.flag("no-input-feed");
    o.bridge = args.flag("bridge");
    o.schedule = ar::parseTfSchedule(args.str("schedule", "tf"));
    o.k = float(args.number("k", 0.0, 0.0, 1e9));
    o.minProb = float(args.number("min-tf", 0.0, 0.0, 1.0));
    o.seed = args.seed(1);
    o.evalEvery = int(args.integer("eval-every", 250, 0, 10000000));
    const std::string out = requiredOutPath(args);
    Eigen::setNbThreads(1);

    const ar::ZhEnCorpus corpus = translatorCorpus(o.seed, /*words=*/true);
    ar::Rng rng(o.seed);
    auto model = ar::makeTranslator(corpus, o, rng);
    auto teacherForcing = [&o](const ar::TrainProgress& p) {
        char tf[32];
        std::snprintf(tf, sizeof tf, "  tf %.3f", ar::teacherForcingProb(o.schedule, o.k, o.minProb, p.step - 1));
        return std::string(tf);
    };
    const auto r = ar::trainSeq2Seq(*model, corpus, o, translatorProgress(teacherForcing), stopOnSigint());
    const ar::TranslationEval ev = ar::evaluateTranslator(*model, corpus.test);
    nlohmann::json prov = translatorProvenance(corpus, o.seed, r.train, argc, argv);
    prov["schedule"] = ar::tfScheduleName(o.schedule);
    prov["test_exact_match"] = ev.exactMatch;
    prov["test_alignment_agreement"] = ev.alignmentAgreement;
    // per-position error rates of both modes on the test split (the Teacher-forcing dock shows them at once)
    prov["test_tf_error"] = ev.tfError;
    prov["test_fr_error"] = ev.frError;
    prov["test_position_count"] = ev.positionCount;
    prov["test_after_first_mistake"] = {{"free_running", ev.frErrorAfterFirstMistake},
                                        {"teacher_forcing", ev.tfErrorAfterFirstMistake},
                                        {"positions", ev.positionsAfterFirstMistake}};
    model->provenanceJson = prov.dump();
    ar::saveSeq2Seq(*model, out);
    std::printf("test split (%d pairs): greedy exact match %.2f%%, attention argmax on the gold source word %.2f%% of %d words\n",
                ev.sentences, 100 * ev.exactMatch, 100 * ev.alignmentAgreement, ev.alignedWords);
    std::printf("exposure bias: after the first free-running mistake, free running errs on %.1f%% of positions, "
                "teacher forcing on %.1f%% (%d positions)\n", 100 * ev.frErrorAfterFirstMistake,
                100 * ev.tfErrorAfterFirstMistake, ev.positionsAfterFirstMistake);
    std::printf("%s\n", savedNote(out).c_str());
    return 0;
}

}  // namespace arcli
