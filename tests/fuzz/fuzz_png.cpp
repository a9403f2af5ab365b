// Fuzz target: the PNG reader (decodePng). An accepted image has consistent dimensions, and what the writer
// makes of it reads back pixel for pixel.
#include "core/io/png.h"
#include "fuzzutil.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ar::PngImage img;
    try {
        img = ar::decodePng(fuzz::bytes(data, size), "fuzz");
    } catch (const ar::Error&) {
        return 0;
    }
    fuzz::require(img.width > 0 && img.height > 0 && img.channels >= 1 && img.channels <= 4, "bad dimensions accepted");
    fuzz::require(img.pixels.size() == size_t(img.width) * size_t(img.height) * size_t(img.channels), "pixel count");
    fuzz::require(ar::toGray(img).size() == size_t(img.width) * size_t(img.height), "gray pixel count");
    std::string encoded;
    try {
        encoded = ar::encodePng(img);
    } catch (const ar::Error&) {
        return 0;  // a layout the writer does not produce (e.g. gray + alpha) is refused, not a finding
    }
    const ar::PngImage back = ar::decodePng(encoded, "fuzz (re-encoded)");
    fuzz::require(back.width == img.width && back.height == img.height && back.channels == img.channels &&
                      back.pixels == img.pixels,
                  "write -> read changed the image");
    return 0;
}
