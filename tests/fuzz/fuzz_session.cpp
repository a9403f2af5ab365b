// Fuzz target: the .arlab session reader (core/io/sessionfile.h); seeds in corpus/fuzz_session (make_fuzz_seeds).
// Any input is either refused with ar::Error or accepted; an accepted session writes back to text that reads to
// the same text (nothing half-read), and its history replays on a small model or is refused with ar::Error.
#include "core/decoding/decodingsession.h"
#include "core/io/sessionfile.h"
#include "fakemodels.h"
#include "fuzzutil.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ar::SessionData s;
    try {
        s = ar::readSession(fuzz::bytes(data, size), "fuzz");
    } catch (const ar::Error&) {
        return 0;
    }
    const std::string text = ar::writeSession(s);
    try {
        fuzz::require(ar::writeSession(ar::readSession(text, "again")) == text, "session write/read round trip");
    } catch (const ar::Error&) {
        fuzz::broken("an accepted session does not read back");
    }
    if (s.history.size() > 2000) return 0;   // replay cost grows with the tree; the reader is what is fuzzed
    static const auto model = std::make_shared<fake::HashModel>(16, 3, 0, -1, 64);
    try {
        ar::SamplerSettings settings = s.sampler;
        ar::DecodingSession session(model, "w1", settings);
        ar::replayHistory(session, s.history, s.current, "fuzz");
        fuzz::require(int(session.history().size()) == int(s.history.size()), "replay built another tree");
    } catch (const ar::Error&) {
    }
    return 0;
}
