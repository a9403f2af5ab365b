// Fuzz target: the safetensors reader (parseSafetensors). An accepted file re-serialises to bytes that read
// back to the same content (what we write, we read).
#include "core/io/safetensors.h"
#include "fuzzutil.h"

#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        const ar::SafeTensors f = ar::parseSafetensors(fuzz::bytes(data, size), "fuzz");
        const std::string again = ar::serializeSafetensors(f);
        const ar::SafeTensors g = ar::parseSafetensors(again, "fuzz (re-serialised)");
        fuzz::require(g.metadata == f.metadata, "metadata changed in a round trip");
        fuzz::require(g.tensors.size() == f.tensors.size(), "tensor count changed in a round trip");
        for (const ar::TensorEntry& t : f.tensors) {
            const ar::TensorEntry* r = g.find(t.name);
            fuzz::require(r && r->shape == t.shape && r->data.size() == t.data.size(), "tensor changed in a round trip");
            fuzz::require(t.data.empty() || std::memcmp(r->data.data(), t.data.data(), 4 * t.data.size()) == 0,
                          "tensor values changed in a round trip");
        }
        fuzz::require(ar::serializeSafetensors(g) == again, "serialisation is not deterministic");
    } catch (const ar::Error&) {
    }
    return 0;
}
