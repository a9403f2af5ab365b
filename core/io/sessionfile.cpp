#include "core/io/sessionfile.h"

#include "core/decoding/decodingsession.h"
#include "core/decoding/samplerstages.h"
#include "core/error.h"
#include "core/io/readfile.h"

#include <cctype>
#include <cfloat>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

namespace ar {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;   // written in the documented order: format and version first

namespace {

// Strict reading of one JSON object: each key is asked for once, unknown keys are refused, every value is
// checked for its type and range, and messages name the key by its path ("history[3].parent").
class Reader {
public:
    Reader(const json& j, std::string path, const std::string& label) : m_j(j), m_path(std::move(path)), m_label(label) {
        if (!j.is_object()) fail(where() + "must be a JSON object");
    }
    [[noreturn]] void fail(const std::string& what) const { throw Error(m_label + ": " + what); }
    std::string key(const char* k) const { return "'" + (m_path.empty() ? std::string() : m_path + ".") + k + "'"; }

    const json* find(const char* k, bool required) {
        m_known.insert(k);
        auto it = m_j.find(k);
        if (it == m_j.end()) {
            if (required) fail("has no " + key(k));
            return nullptr;
        }
        return &*it;
    }
    int64_t integer(const char* k, int64_t def, int64_t lo, int64_t hi, bool required = false) {
        const json* v = find(k, required);
        if (!v) return def;
        const bool huge = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX);
        if (!v->is_number_integer() || huge) fail(key(k) + " must be a whole number, got " + v->dump());
        const int64_t x = v->get<int64_t>();
        if (x < lo || x > hi) fail(key(k) + " = " + v->dump() + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
        return x;
    }
    uint64_t unsignedInteger(const char* k, uint64_t def) {
        const json* v = find(k, false);
        if (!v) return def;
        if (!v->is_number_unsigned()) fail(key(k) + " must be a whole number >= 0, got " + v->dump());
        return v->get<uint64_t>();
    }
    double number(const char* k, double def, double lo, double hi) {
        const json* v = find(k, false);
        if (!v) return def;
        if (!v->is_number()) fail(key(k) + " must be a number, got " + v->dump());
        const double x = v->get<double>();
        if (!std::isfinite(x) || x < lo || x > hi) fail(key(k) + " = " + v->dump() + " is out of range");
        return x;
    }
    bool boolean(const char* k, bool def) {
        const json* v = find(k, false);
        if (!v) return def;
        if (!v->is_boolean()) fail(key(k) + " must be true or false, got " + v->dump());
        return v->get<bool>();
    }
    std::string string(const char* k, const std::string& def, bool required = false) {
        const json* v = find(k, required);
        if (!v) return def;
        if (!v->is_string()) fail(key(k) + " must be a string, got " + v->dump().substr(0, 40));
        return v->get<std::string>();
    }
    const json& array(const char* k, size_t maxCount) {
        static const json empty = json::array();
        const json* v = find(k, false);
        if (!v) return empty;
        if (!v->is_array()) fail(key(k) + " must be a list");
        if (v->size() > maxCount) fail(key(k) + " has " + std::to_string(v->size()) + " entries, more than " + std::to_string(maxCount));
        return *v;
    }
    Reader object(const char* k) {
        const json* v = find(k, false);
        static const json empty = json::object();
        return Reader(v ? *v : empty, (m_path.empty() ? std::string() : m_path + ".") + k, m_label);
    }
    bool has(const char* k) const { return m_j.contains(k); }
    void finish() const {
        for (auto it = m_j.begin(); it != m_j.end(); ++it)
            if (!m_known.count(it.key())) fail("unknown key " + key(it.key().c_str()) + " (this arlab reads session version " +
                                               std::to_string(kSessionVersion) + ")");
    }
    const std::string& path() const { return m_path; }

private:
    std::string where() const { return m_path.empty() ? std::string("the session ") : "'" + m_path + "' "; }
    const json& m_j;
    std::string m_path;
    const std::string& m_label;
    std::set<std::string> m_known;
};

// The stages' knobs by key, in the Sampling panel's order (temperature, top_k, top_p, min_p, repetition_penalty,
// repetition_window, then any other stage's): a whole number as one, a float knob as its float's value.
ojson samplerJson(const SamplerSettings& s) {
    ojson j = {{"strategy", strategyName(s.strategy)}};
    for (const SamplerStageKind* stage : samplerStagesInPanelOrder())
        for (const StageParam& p : stage->params())
            j[p.key] = p.decimals == 0 ? ojson(int64_t(s.knob(p.key))) : ojson(s.knob(p.key));
    j["seed"] = s.seed;
    j["beam_width"] = s.beam.width;
    j["length_penalty"] = s.beam.lengthPenalty;
    j["max_new_tokens"] = s.maxNewTokens;
    return j;
}

SamplerSettings readSampler(Reader r) {
    SamplerSettings s;
    const std::string strategy = r.string("strategy", strategyName(s.strategy));
    try {
        s.strategy = strategyFromName(strategy);
    } catch (const Error& e) {
        r.fail("'sampler.strategy': " + std::string(e.what()));
    }
    // Read by type here; the range is the knob's own check (validate() below: "top-p must be in (0, 1], got 1.5").
    for (const StageParam& p : samplerKnobs())
        s.setKnob(p.key, p.decimals == 0 ? double(r.integer(p.key.c_str(), int64_t(s.knob(p.key)), INT64_MIN, INT64_MAX))
                                         : r.number(p.key.c_str(), s.knob(p.key), -DBL_MAX, DBL_MAX));
    s.seed = r.unsignedInteger("seed", s.seed);
    // Version 1 writes the beam width and alpha here too (checked); the "beam" object is what is restored.
    s.beam.width = int(r.integer("beam_width", s.beam.width, 0, INT32_MAX));
    s.beam.lengthPenalty = float(r.number("length_penalty", s.beam.lengthPenalty, -1e6, 1e6));
    s.maxNewTokens = int(r.integer("max_new_tokens", s.maxNewTokens, 0, INT32_MAX));
    r.finish();
    try {
        s.validate();
    } catch (const Error& e) {
        r.fail("sampler settings: " + std::string(e.what()));
    }
    return s;
}

ojson quizStepJson(const QuizStep& s) {
    ojson guess = ojson::array();
    for (const auto& [id, pts] : s.guess.points) guess.push_back({id, pts});
    ojson j = {{"position", s.position}, {"token", s.token}, {"from_truth", s.fromTruth}, {"guess", guess},
              {"student_top", s.studentTop}, {"model_top", s.modelTop}, {"student_p", s.studentP}, {"model_p", s.modelP},
              {"student_loss", s.studentLoss}, {"model_loss", s.modelLoss}, {"has_truth", s.hasTruth}};
    if (s.hasTruth) {
        j["true_p"] = s.trueP;
        j["true_loss"] = s.trueLoss;
        j["student_ce"] = s.studentCrossEntropy;
        j["model_ce"] = s.modelCrossEntropy;
        j["true_entropy"] = s.trueEntropy;
    }
    return j;
}

QuizStep readQuizStep(Reader r) {
    QuizStep s;
    s.position = int(r.integer("position", 0, 0, INT32_MAX, true));
    s.token = int(r.integer("token", 0, 0, INT32_MAX, true));
    s.fromTruth = r.boolean("from_truth", false);
    const json& guess = r.array("guess", size_t(kQuizPoints));
    for (size_t i = 0; i < guess.size(); ++i) {
        const json& g = guess[i];
        if (!g.is_array() || g.size() != 2 || !g[0].is_number_integer() || !g[1].is_number_integer() ||
            g[0].get<int64_t>() < 0 || g[0].get<int64_t>() > INT32_MAX || g[1].get<int64_t>() < 1 || g[1].get<int64_t>() > kQuizPoints)
            r.fail("'" + r.path() + ".guess[" + std::to_string(i) + "]' must be [token, points] with points 1..100");
        s.guess.points.emplace_back(int(g[0].get<int64_t>()), int(g[1].get<int64_t>()));
    }
    try {
        s.guess.validate(INT32_MAX);
    } catch (const Error& e) {
        r.fail("'" + r.path() + ".guess': " + e.what());
    }
    s.studentTop = int(r.integer("student_top", -1, -1, INT32_MAX, true));
    s.modelTop = int(r.integer("model_top", -1, -1, INT32_MAX, true));
    s.studentP = r.number("student_p", 0, 0, 1);
    s.modelP = r.number("model_p", 0, 0, 1);
    s.studentLoss = r.number("student_loss", 0, 0, 1e6);
    s.modelLoss = r.number("model_loss", 0, 0, 1e6);
    s.hasTruth = r.boolean("has_truth", false);
    if (s.hasTruth) {
        s.trueP = r.number("true_p", 0, 0, 1);
        s.trueLoss = r.number("true_loss", 0, 0, 1e6);
        s.studentCrossEntropy = r.number("student_ce", 0, 0, 1e6);
        s.modelCrossEntropy = r.number("model_ce", 0, 0, 1e6);
        s.trueEntropy = r.number("true_entropy", 0, 0, 1e6);
    }
    r.finish();
    return s;
}

bool isHex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

}  // namespace

std::string writeSession(const SessionData& s) {
    ojson history = ojson::array();
    for (const SessionNode& n : s.history) history.push_back({{"parent", n.parent}, {"token", n.token}, {"forced", n.forced}});
    ojson model = {{"path", s.modelPath}, {"sha256", s.modelSha256}};
    if (!s.tokenizerPath.empty()) model["tokenizer"] = {{"path", s.tokenizerPath}, {"sha256", s.tokenizerSha256}};
    ojson j = {{"format", kSessionFormat},
              {"version", s.tokenizerPath.empty() ? 1 : 2},   // the lowest version that holds it
              {"app", s.app},
              {"lesson", s.lesson},
              {"model", model},
              {"prompt", s.prompt},
              {"history", history},
              {"current", s.current},
              {"sampler", samplerJson(s.sampler)},
              {"beam", {{"width", s.sampler.beam.width}, {"max_length", s.sampler.beam.maxLength},
                        {"length_penalty", s.sampler.beam.lengthPenalty}}},
              {"layout", s.layout}};
    if (s.hasQuiz) {
        ojson steps = ojson::array();
        for (const QuizStep& q : s.quizSteps) steps.push_back(quizStepJson(q));
        j["quiz"] = {{"length", s.quizLength}, {"steps", steps}};
    }
    return j.dump(1) + "\n";
}

SessionData readSession(std::string_view bytes, const std::string& label) {
    if (bytes.empty()) throw Error(label + ": the file is empty");
    if (bytes.size() > kMaxSessionBytes)
        throw Error(label + ": the file is " + byteCountText(bytes.size()) + ", more than the limit of " + byteCountText(kMaxSessionBytes));
    json j;
    try {
        j = json::parse(bytes.begin(), bytes.end());
    } catch (const json::parse_error& e) {
        // The parser stopped at the end of the input: the file was cut short (a copy that stopped, a full disk).
        if (e.byte >= bytes.size())
            throw Error(label + ": is truncated (the JSON ends at byte " + std::to_string(bytes.size()) + " before it is complete)");
        throw Error(label + ": is not valid JSON at byte " + std::to_string(e.byte) + " (a corrupt file?)");
    } catch (const json::out_of_range&) {   // the parser's other error: a number beyond a double (1E400)
        throw Error(label + ": is not valid JSON: a number is too large (a corrupt file?)");
    }
    if (!j.is_object() || !j.contains("format") || j["format"] != kSessionFormat)
        throw Error(label + ": is not an arlab session (no \"format\": \"" + kSessionFormat + "\")");
    Reader r(j, "", label);
    r.string("format", "");
    const json* version = r.find("version", true);
    if (!version->is_number_integer()) r.fail("'version' must be a whole number, got " + version->dump().substr(0, 40));
    const bool huge = version->is_number_unsigned() && version->get<uint64_t>() > uint64_t(INT64_MAX);
    const int64_t v = huge ? INT64_MAX : version->get<int64_t>();
    if (v > kSessionVersion)
        throw Error(label + ": was written by a newer arlab (session version " + version->dump() + "; this arlab reads up to version " +
                    std::to_string(kSessionVersion) + "): update arlab to open it");
    if (v < 1) r.fail("has an unknown session version " + std::to_string(v));

    SessionData s;
    s.app = r.string("app", "");
    s.lesson = r.string("lesson", "", true);
    if (s.lesson.empty()) r.fail("'lesson' is empty");
    {
        Reader m = r.object("model");
        s.modelPath = m.string("path", "");
        s.modelSha256 = m.string("sha256", "");
        if (m.has("tokenizer")) {
            if (v < 2) r.fail("'model.tokenizer' needs session version 2 (this file says version " + std::to_string(v) + ")");
            Reader t = m.object("tokenizer");
            s.tokenizerPath = t.string("path", "", true);
            s.tokenizerSha256 = t.string("sha256", "", true);
            t.finish();
            if (s.tokenizerPath.empty()) r.fail("'model.tokenizer.path' is empty");
            if (s.modelPath.empty()) r.fail("'model.tokenizer' is set but 'model.path' is empty");
            if (!isHex64(s.tokenizerSha256))
                r.fail("'model.tokenizer.sha256' must be 64 lowercase hex digits (the SHA-256 of the tokenizer file)");
        }
        m.finish();
        if (!s.modelPath.empty() && !isHex64(s.modelSha256))
            r.fail("'model.sha256' must be 64 lowercase hex digits (the SHA-256 of the model file)");
    }
    s.prompt = r.string("prompt", "");
    const json& history = r.array("history", size_t(kMaxSessionNodes));
    for (size_t i = 0; i < history.size(); ++i) {
        Reader n(history[i], "history[" + std::to_string(i) + "]", label);
        SessionNode node;
        node.parent = int(n.integer("parent", -1, INT32_MIN, INT32_MAX, true));
        if (node.parent < -1 || node.parent >= int(i))
            r.fail("'history[" + std::to_string(i) + "].parent' = " + std::to_string(node.parent) + " must name an earlier node (-1.." +
                   std::to_string(int(i) - 1) + ")");
        node.token = int(n.integer("token", 0, 0, INT32_MAX, true));
        node.forced = n.boolean("forced", false);
        n.finish();
        s.history.push_back(node);
    }
    s.current = int(r.integer("current", -1, -1, int64_t(s.history.size()) - 1));
    s.sampler = readSampler(r.object("sampler"));
    {
        Reader b = r.object("beam");
        BeamSettings& beam = s.sampler.beam;
        const BeamSettings defaults{3, 10, 0.6f};   // what version 1 assumed for a missing key
        beam.width = int(b.integer("width", defaults.width, 0, INT32_MAX));
        beam.maxLength = int(b.integer("max_length", defaults.maxLength, 0, INT32_MAX));
        beam.lengthPenalty = float(b.number("length_penalty", defaults.lengthPenalty, -1e6, 1e6));
        b.finish();
        try {
            beam.validate();
        } catch (const Error& e) {
            r.fail("beam settings: " + std::string(e.what()));
        }
    }
    s.layout = r.string("layout", "");
    for (char c : s.layout)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '='))
            r.fail("'layout' must be base64 text");
    if (r.has("quiz")) {
        Reader q = r.object("quiz");
        s.hasQuiz = true;
        s.quizLength = int(q.integer("length", 10, 1, kQuizMaxSteps, true));
        const json& steps = q.array("steps", size_t(s.quizLength));
        for (size_t i = 0; i < steps.size(); ++i) s.quizSteps.push_back(readQuizStep(Reader(steps[i], "quiz.steps[" + std::to_string(i) + "]", label)));
        q.finish();
    }
    r.finish();
    return s;
}

SessionData readSessionFile(const std::string& path) {
    const std::string label = "session '" + path + "'";
    return readSession(readFileLimited(path, kMaxSessionBytes, label), label);
}

std::vector<SessionNode> historyOf(const DecodingSession& s, int* current) {
    std::vector<SessionNode> out;
    for (const auto& n : s.history()) out.push_back({n.parent, n.step.token, n.step.forced});
    *current = s.currentPath().empty() ? -1 : s.currentPath().back();
    return out;
}

void replayHistory(DecodingSession& s, const std::vector<SessionNode>& nodes, int current, const std::string& label) {
    const int V = s.model().vocabSize();
    for (size_t i = 0; i < nodes.size(); ++i) {
        const SessionNode& n = nodes[i];
        const std::string where = label + ": 'history[" + std::to_string(i) + "]'";
        if (n.token < 0 || n.token >= V)
            throw Error(where + ": token " + std::to_string(n.token) + " is outside the model's vocabulary of " + std::to_string(V));
        if (n.parent < 0) {
            while (s.back()) {}
        } else if (s.currentPath().empty() || s.currentPath().back() != n.parent) {
            s.switchTo(n.parent);
        }
        if (!s.canStep()) throw Error(where + ": the text cannot go on after its parent (" + s.stopReason() + ")");
        s.replay(n.token, n.forced);
    }
    if (current < 0) {
        while (s.back()) {}
    } else {
        s.switchTo(current);
    }
}

}  // namespace ar
