// Fuzz target: the IDX reader (parseIdx) as labels (1 dimension) and as images (3 dimensions), and a pair of
// them as a dataset. The first input byte splits the rest into an image part and a label part.
#include "core/data/idx.h"
#include "fuzzutil.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view all = fuzz::bytes(data, size);
    for (int dims : {1, 3}) {
        try {
            const ar::IdxArray a = ar::parseIdx(all, dims, "fuzz");
            size_t n = 1;
            for (uint32_t d : a.dims) n *= d;
            fuzz::require(int(a.dims.size()) == dims && a.data.size() == n, "accepted array has the wrong size");
        } catch (const ar::Error&) {
        }
    }
    if (size < 1) return 0;
    const size_t cut = 1 + std::min<size_t>(size - 1, size_t(data[0]) * (size - 1) / 255);
    try {
        const ar::IdxArray images = ar::parseIdx(all.substr(1, cut - 1), 3, "images");
        const ar::IdxArray labels = ar::parseIdx(all.substr(cut), 1, "labels");
        const ar::ImageSet set = ar::idxDataset(images, labels, 0.5f, 9, 0, "pair");
        fuzz::require(set.images.rows() == int(labels.data.size()), "dataset size");
    } catch (const ar::Error&) {
    }
    return 0;
}
