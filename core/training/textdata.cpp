#include "core/training/textdata.h"

#include "core/data/utf8.h"
#include "core/error.h"
#include "core/io/readfile.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ar {

TextData::TextData(std::string_view text, Tokenizer tok, int boundary, double valFraction, int context)
    : m_tok(std::move(tok)), m_boundary(boundary), m_T(context) {
    if (context < 1) throw Error("context must be at least 1 token");
    if (valFraction <= 0.0 || valFraction >= 0.9) throw Error("validation fraction must be in (0, 0.9)");
    Tokens stream = m_tok.encodeStrict(text, "corpus");
    if (boundary >= 0 && (stream.empty() || stream.front() != boundary)) stream.insert(stream.begin(), boundary);
    // Cut at the boundary nearest to (1 - valFraction) of the stream, so validation starts like a text does.
    size_t cut = size_t(double(stream.size()) * (1.0 - valFraction));
    if (boundary >= 0) {
        while (cut > 0 && stream[cut] != boundary) --cut;
    }
    m_train.assign(stream.begin(), stream.begin() + std::ptrdiff_t(cut));
    m_val.assign(stream.begin() + std::ptrdiff_t(cut), stream.end());
    m_trainStarts = windowStarts(m_train, boundary, context);
    if (m_trainStarts.empty())
        throw Error("the training part of the corpus (" + std::to_string(m_train.size()) +
                    " tokens) is too short for windows of " + std::to_string(context) + " tokens");
    if (m_val.size() < 2)
        throw Error("the validation part of the corpus is empty; use a longer corpus or a larger --val-fraction");
}

std::vector<size_t> TextData::windowStarts(const Tokens& stream, int boundary, int T) {
    std::vector<size_t> starts;
    for (size_t i = 0; i + size_t(T) < stream.size(); ++i)
        if (boundary < 0 || stream[i] == boundary) starts.push_back(i);
    return starts;
}

TextBatch TextData::sampleBatch(int B, Rng& rng) const {
    TextBatch batch;
    batch.B = B;
    batch.T = m_T;
    batch.inputs.resize(size_t(B) * size_t(m_T));
    batch.targets.resize(batch.inputs.size());
    for (int b = 0; b < B; ++b) {
        const size_t s = m_trainStarts[size_t(rng.below(m_trainStarts.size()))];
        for (int t = 0; t < m_T; ++t) {
            batch.inputs[size_t(b * m_T + t)] = m_train[s + size_t(t)];
            batch.targets[size_t(b * m_T + t)] = m_train[s + size_t(t) + 1];
        }
    }
    batch.counted = B * m_T;
    return batch;
}

std::vector<TextBatch> TextData::scoringBatches(const Tokens& stream, int boundary, int T, int B, int maxTokens) {
    // Window at s scores targets s+1 .. s+T that were not scored yet. The next window starts at the last
    // boundary inside this one (so the next targets keep their sentence's context), else right after it.
    struct Window { size_t start; size_t firstNew; };
    std::vector<Window> windows;
    size_t scored = 0;   // targets at positions < scoredEnd are done
    size_t scoredEnd = 1;
    size_t s = 0;
    while (s + 1 < stream.size() && int(scored) < maxTokens) {
        const size_t end = std::min(stream.size(), s + size_t(T) + 1);  // exclusive: targets up to end-1
        windows.push_back({s, scoredEnd});
        scored += end - std::max(scoredEnd, s + 1);
        scoredEnd = end;
        if (end == stream.size()) break;
        size_t next = end - 1;  // last input position of this window
        if (boundary >= 0) {
            while (next > s && stream[next] != boundary) --next;
            if (next == s) next = end - 1;  // a sentence longer than the window: continue without alignment
        }
        s = next;
    }
    std::vector<TextBatch> batches;
    int total = 0;  // scored targets so far (at most maxTokens)
    for (size_t w0 = 0; w0 < windows.size(); w0 += size_t(B)) {
        const int nb = int(std::min(windows.size() - w0, size_t(B)));
        TextBatch batch;
        batch.B = nb;
        batch.T = T;
        batch.inputs.assign(size_t(nb) * size_t(T), stream[0]);
        batch.targets.assign(batch.inputs.size(), TextBatch::kIgnore);
        for (int b = 0; b < nb; ++b) {
            const Window& w = windows[w0 + size_t(b)];
            for (int t = 0; t < T && w.start + size_t(t) + 1 < stream.size(); ++t) {
                const size_t pos = w.start + size_t(t);
                batch.inputs[size_t(b * T + t)] = stream[pos];
                if (pos + 1 >= w.firstNew && total < maxTokens) {
                    batch.targets[size_t(b * T + t)] = stream[pos + 1];
                    ++batch.counted;
                    ++total;
                }
            }
        }
        batches.push_back(std::move(batch));
    }
    return batches;
}

std::vector<TextBatch> TextData::validationBatches(int B, int maxTokens) const {
    return scoringBatches(m_val, m_boundary, m_T, B, maxTokens);
}

double meanLoss(const std::vector<TextBatch>& batches, const std::function<float(const TextBatch&)>& lossOf) {
    NoGradGuard ng;
    double total = 0;
    long long count = 0;
    for (const auto& b : batches) {
        if (!b.counted) continue;
        total += double(lossOf(b)) * b.counted;
        count += b.counted;
    }
    return count ? total / double(count) : 0.0;
}

std::string readTextFile(const std::string& path, const std::string& label) {
    std::string text = readFileLimited(path, kMaxCorpusBytes, label + " '" + path + "'");
    if (text.empty()) throw Error(label + " '" + path + "': the file is empty");
    if (auto bad = utf8::firstInvalid(text))
        throw Error(label + " '" + path + "': invalid UTF-8 at byte offset " + std::to_string(*bad));
    return text;
}

nlohmann::json textTrainingProvenance(const std::string& corpus, uint64_t seed, const TrainResult& r,
                                      const TextData& data) {
    nlohmann::json j;
    j["corpus"] = corpus;
    j["seed"] = seed;
    j["steps"] = r.steps;
    j["stopped_early"] = r.stopped;
    j["train_loss"] = r.trainLoss;
    j["val_loss"] = r.valLoss;
    j["loss_unit"] = "nats per token";
    j["train_tokens"] = data.train().size();
    j["val_tokens"] = data.val().size();
    return j;
}

}  // namespace ar
