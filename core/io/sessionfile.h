#pragma once
// The .arlab session file: what a class built, saved and reopened (File -> Save session / Open session,
// autosave). Versioned JSON, read strictly: anything the reader does not understand is refused with a
// specific message, never half-read.
//
//   {"format": "arlab-session", "version": 1, "app": "0.9.0",
//    "lesson": "transformer",
//    "model": {"path": ":/models/toy-word.safetensors", "sha256": "9f2c…"},     // the file's SHA-256 (hex)
//       version 2 adds "tokenizer": {"path": "/x/tok.bin", "sha256": "…"} to "model": a tokenizer chosen apart from
//       the model (a llama2.c tokenizer.bin that is not the one next to the checkpoint); absent = the model's own
//    "prompt": "a happy child",
//    "history": [{"parent": -1, "token": 12, "forced": false}, …], "current": 4, // the whole branch tree
//    "sampler": {"strategy": "sample", "temperature": 1, "top_k": 0, "top_p": 1, "min_p": 0,
//                "repetition_penalty": 1, "repetition_window": 64, "seed": 0,
//                "beam_width": 3, "length_penalty": 0.6, "max_new_tokens": 20},   // (= "beam")
//    "beam": {"width": 3, "max_length": 10, "length_penalty": 0.6},
//    "layout": "<base64 of the window's dock state>",
//    "quiz": {"length": 10, "steps": [{…one scored step…}]}}
//
// history lists DecodingSession::history() in node order (a node's parent comes before it); "current" is the
// node the current path ends at (-1: at the prompt). "sampler" and "beam" together are the one settings value
// (SamplerSettings with its .beam); version 1 also wrote the beam width and alpha in "sampler", so they are
// written there too (equal to "beam"), checked when read, and "beam" is what is restored. The Compare dock's
// settings are not saved (as in version 1): the reader leaves them at their defaults and the app keeps its
// own. replayHistory() rebuilds exactly that tree (same node ids, tokens, forced marks, current path) on a
// fresh session.
// The writer writes the lowest version that holds the data (1 without a separate tokenizer), so an older
// arlab still reads every session that does not need version 2.
// Messages: "session 'x.arlab': is truncated (the JSON ends at byte 812 before it is complete)", "… is not
// valid JSON at byte 17", "… was written by a newer arlab (session version 3; this arlab reads up to version 2)",
// "… 'history[3].parent' = 5 must name an earlier node (-1..2)", …
#include "core/decoding/predictionquiz.h"
#include "core/decoding/samplerchain.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

class DecodingSession;

inline constexpr int kSessionVersion = 2;
inline constexpr const char* kSessionFormat = "arlab-session";
inline constexpr uint64_t kMaxSessionBytes = uint64_t(64) << 20;   // 64 MiB
inline constexpr int kMaxSessionNodes = 1000000;

struct SessionNode {
    int parent = -1;     // -1: a child of the prompt
    int token = -1;
    bool forced = false;
    bool operator==(const SessionNode&) const = default;
};

struct SessionData {
    std::string app;              // the arlab version that wrote it (informative)
    std::string lesson;
    std::string modelPath;        // "" = no text model
    std::string modelSha256;      // 64 lowercase hex digits ("" with no model)
    std::string tokenizerPath;    // a tokenizer chosen apart from the model ("" = the model's own; version 2)
    std::string tokenizerSha256;  // its SHA-256 (64 lowercase hex digits when tokenizerPath is set)
    std::string prompt;
    std::vector<SessionNode> history;
    int current = -1;
    SamplerSettings sampler;      // the one decoding-settings value (with its beam part)
    std::string layout;           // base64 (the window's own format; opaque here)
    bool hasQuiz = false;
    int quizLength = 10;
    std::vector<QuizStep> quizSteps;
};

// The JSON text (UTF-8, pretty-printed, ends with a newline).
std::string writeSession(const SessionData& s);
// Parses and checks everything that can be checked without the model. Throws ar::Error "<label>: …".
SessionData readSession(std::string_view bytes, const std::string& label);
// Reads the file (bounded by kMaxSessionBytes) and parses it; label = "session '<path>'".
SessionData readSessionFile(const std::string& path);

// The history tree of `s` as nodes, and the node the current path ends at.
std::vector<SessionNode> historyOf(const DecodingSession& s, int* current);
// Rebuilds `nodes` on `s` (fresh: nothing generated yet) and follows the path to `current`. Throws ar::Error
// naming the node when a token is outside the vocabulary or the session cannot go on there.
void replayHistory(DecodingSession& s, const std::vector<SessionNode>& nodes, int current, const std::string& label);

}  // namespace ar
