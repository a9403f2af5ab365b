// Fuzz target: each model kind's config reader ("arlab.config" in a model file). The first input byte picks
// the kind, the rest is the JSON. An accepted text-model config writes back JSON that reads to the same.
#include "core/models/charrnn.h"
#include "core/models/gatedpixelcnn.h"
#include "core/models/made.h"
#include "core/models/pixelcnn.h"
#include "core/models/seq2seq.h"
#include "core/models/tinygpt.h"
#include "fuzzutil.h"

#include <string>

namespace {
template <class Config, class... Extra>
void roundTrip(const std::string& json, const Extra&... extra) {
    const Config c = Config::fromJson(json, extra...);
    const std::string again = c.toJson();
    fuzz::require(Config::fromJson(again, extra...).toJson() == again, "config JSON round trip");
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::string json(fuzz::bytes(data + 1, size - 1));
    try {
        switch (data[0] % 8) {
        case 0: roundTrip<ar::TinyGptConfig>(json); break;
        case 1: roundTrip<ar::CharRnnConfig>(json, std::string("rnn")); break;
        case 2: roundTrip<ar::CharRnnConfig>(json, std::string("lstm")); break;
        case 3: roundTrip<ar::CharRnnConfig>(json, std::string("gru")); break;
        case 4: roundTrip<ar::Seq2SeqConfig>(json); break;
        case 5: ar::PixelCnn::parseConfig(json); break;
        case 6: ar::GatedPixelCnn::parseConfig(json); break;
        default: ar::Made::parseConfig(json); break;
        }
    } catch (const ar::Error&) {
    }
    return 0;
}
