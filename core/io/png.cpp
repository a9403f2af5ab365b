#include "core/io/png.h"

#include "core/error.h"
#include "core/io/atomicfile.h"
#include "core/io/readfile.h"

#include <spng.h>
#include <zlib.h>

#include <memory>

namespace ar {

namespace {

using SpngCtx = std::unique_ptr<spng_ctx, decltype(&spng_ctx_free)>;

uint32_t be32(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) | (uint32_t(uint8_t(b[at + 2])) << 8) |
           uint32_t(uint8_t(b[at + 3]));
}
const char kSignature[8] = {char(0x89), 'P', 'N', 'G', '\r', '\n', char(0x1A), '\n'};

// The chunk layout, checked before libspng sees the file, so that the common corruptions get a message
// naming the chunk (libspng reports only an error code). Decompression and filtering are libspng's.
void checkChunks(std::string_view bytes, const std::string& label) {
    if (bytes.size() < 8 || bytes.substr(0, 8) != std::string_view(kSignature, 8))
        throw Error(label + ": not a PNG file (bad signature)");
    size_t pos = 8;
    int ihdrs = 0;
    for (;;) {
        if (pos + 12 > bytes.size()) throw Error(label + ": truncated (no IEND chunk)");
        const uint32_t len = be32(bytes, pos);
        const std::string type(bytes.substr(pos + 4, 4));
        if (len > bytes.size() - pos - 12) throw Error(label + ": chunk '" + type + "' runs past the end of the file");
        const std::string_view typeAndBody = bytes.substr(pos + 4, 4 + len);
        const uLong crc = ::crc32(::crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(typeAndBody.data()),
                                  uInt(typeAndBody.size()));
        if (crc != be32(bytes, pos + 8 + len)) throw Error(label + ": CRC mismatch in chunk '" + type + "' (corrupt file)");
        if (pos == 8 && type != "IHDR") throw Error(label + ": first chunk is '" + type + "', expected IHDR");
        if (type == "IHDR" && ++ihdrs > 1) throw Error(label + ": a second IHDR chunk (a PNG has exactly one)");
        if (type == "IHDR" && len != 13) throw Error(label + ": IHDR has length " + std::to_string(len) + ", expected 13");
        const bool critical = !(uint8_t(type[0]) & 0x20);
        if (critical && type != "IHDR" && type != "PLTE" && type != "IDAT" && type != "IEND")
            throw Error(label + ": unknown critical chunk '" + type + "'");
        pos += 12 + len;
        if (type == "IEND") return;
    }
}

// libspng's error in our words; `bytes` passed checkChunks (the IHDR is at offset 8).
std::string spngMessage(int err, std::string_view bytes) {
    const std::string size = std::to_string(be32(bytes, 16)) + "x" + std::to_string(be32(bytes, 20));
    switch (err) {
    case SPNG_EBIT_DEPTH:
    case SPNG_ECOLOR_TYPE:
        return "unsupported colour type " + std::to_string(uint8_t(bytes[25])) + " with bit depth " +
               std::to_string(uint8_t(bytes[24]));
    case SPNG_EINTERLACE_METHOD: return "unknown interlace method " + std::to_string(uint8_t(bytes[28]));
    case SPNG_ECOMPRESSION_METHOD:
    case SPNG_EFILTER_METHOD: return "unknown compression or filter method";
    case SPNG_EIDAT_TOO_SHORT: return "image data is shorter than the IHDR's " + size + " image (truncated or wrong size)";
    case SPNG_EIDAT_STREAM:
    case SPNG_EZLIB:
        return std::string("corrupt or truncated compressed image data (") + spng_strerror(err) + ")";
    case SPNG_EFILTER: return "a row has an unknown filter type";
    case SPNG_EPLTE_IDX: return "palette index out of range";
    case SPNG_ENOPLTE: return "palette image without a PLTE chunk";
    case SPNG_ECHUNK_UNKNOWN_CRITICAL: return "unknown critical chunk";
    case SPNG_ECHUNK_LIMITS: return "a chunk is larger than the reader's limit";
    default: return spng_strerror(err);
    }
}

}  // namespace

PngImage decodePng(std::string_view bytes, const std::string& label, const PngSizeCheck& checkSize) {
    checkChunks(bytes, label);
    const int64_t width = be32(bytes, 16), height = be32(bytes, 20);
    if (width <= 0 || height <= 0) throw Error(label + ": image has zero width or height");
    if (width > kMaxPngSide || height > kMaxPngSide || width * height > kMaxPngPixels)
        throw Error(label + ": image is too large (" + std::to_string(width) + "x" + std::to_string(height) +
                    "; the limit is " + std::to_string(kMaxPngSide) + " on a side and " +
                    std::to_string(kMaxPngPixels) + " pixels)");
    if (checkSize) checkSize(int(width), int(height));

    SpngCtx ctx(spng_ctx_new(0), &spng_ctx_free);
    if (!ctx) throw Error(label + ": out of memory");
    spng_set_image_limits(ctx.get(), uint32_t(kMaxPngSide), uint32_t(kMaxPngSide));
    spng_set_chunk_limits(ctx.get(), bytes.size(), size_t(16) << 20);
    auto check = [&](int err) {
        if (err) throw Error(label + ": " + spngMessage(err, bytes));
    };
    check(spng_set_png_buffer(ctx.get(), bytes.data(), bytes.size()));
    spng_ihdr ihdr{};
    check(spng_get_ihdr(ctx.get(), &ihdr));
    spng_trns trns{};
    const bool hasTrns = spng_get_trns(ctx.get(), &trns) == 0;
    const int ctype = ihdr.color_type;
    const bool alpha = ctype == SPNG_COLOR_TYPE_GRAYSCALE_ALPHA || ctype == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA ||
                       (ctype == SPNG_COLOR_TYPE_INDEXED && hasTrns);
    const bool color = ctype == SPNG_COLOR_TYPE_TRUECOLOR || ctype == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA ||
                       ctype == SPNG_COLOR_TYPE_INDEXED;
    size_t rgbaSize = 0;
    check(spng_decoded_image_size(ctx.get(), SPNG_FMT_RGBA8, &rgbaSize));
    std::vector<uint8_t> rgba(rgbaSize);
    check(spng_decode_image(ctx.get(), rgba.data(), rgba.size(), SPNG_FMT_RGBA8, SPNG_DECODE_TRNS));

    PngImage img;
    img.width = int(width);
    img.height = int(height);
    img.channels = (color ? 3 : 1) + (alpha ? 1 : 0);
    const size_t n = size_t(width) * size_t(height);
    img.pixels.resize(n * size_t(img.channels));
    for (size_t i = 0; i < n; ++i) {
        const uint8_t* p = &rgba[4 * i];
        uint8_t* out = &img.pixels[i * size_t(img.channels)];
        switch (img.channels) {
        case 1: out[0] = p[0]; break;
        case 2: out[0] = p[0], out[1] = p[3]; break;
        case 3: out[0] = p[0], out[1] = p[1], out[2] = p[2]; break;
        default: out[0] = p[0], out[1] = p[1], out[2] = p[2], out[3] = p[3]; break;
        }
    }
    return img;
}

PngImage readPng(const std::string& path, const PngSizeCheck& checkSize) {
    const std::string label = "PNG '" + path + "'";
    return decodePng(readFileLimited(path, kMaxPngFileBytes, label), label, checkSize);
}

std::string encodePng(const PngImage& img) {
    if (img.width <= 0 || img.height <= 0 || img.channels < 1 || img.channels > 4 ||
        img.pixels.size() != size_t(img.width) * size_t(img.height) * size_t(img.channels))
        throw Error("encodePng: inconsistent image");
    SpngCtx ctx(spng_ctx_new(SPNG_CTX_ENCODER), &spng_ctx_free);
    if (!ctx) throw Error("encodePng: out of memory");
    auto check = [](int err) {
        if (err) throw Error(std::string("encodePng: ") + spng_strerror(err));
    };
    check(spng_set_option(ctx.get(), SPNG_ENCODE_TO_BUFFER, 1));
    const uint8_t ctypes[5] = {0, SPNG_COLOR_TYPE_GRAYSCALE, SPNG_COLOR_TYPE_GRAYSCALE_ALPHA, SPNG_COLOR_TYPE_TRUECOLOR,
                               SPNG_COLOR_TYPE_TRUECOLOR_ALPHA};
    spng_ihdr ihdr{uint32_t(img.width), uint32_t(img.height), 8, ctypes[img.channels], 0, 0, 0};
    check(spng_set_ihdr(ctx.get(), &ihdr));
    check(spng_encode_image(ctx.get(), img.pixels.data(), img.pixels.size(), SPNG_FMT_PNG, SPNG_ENCODE_FINALIZE));
    size_t len = 0;
    int err = 0;
    std::unique_ptr<void, decltype(&free)> buf(spng_get_png_buffer(ctx.get(), &len, &err), &free);
    check(err);
    return std::string(static_cast<const char*>(buf.get()), len);
}

void writePng(const std::string& path, const PngImage& image) {
    writeFileAtomic(path, encodePng(image), "PNG '" + path + "'");
}

std::vector<uint8_t> toGray(const PngImage& img) {
    std::vector<uint8_t> g(size_t(img.width) * img.height);
    for (size_t i = 0; i < g.size(); ++i) {
        const uint8_t* p = &img.pixels[i * img.channels];
        int lum = img.channels >= 3 ? (299 * p[0] + 587 * p[1] + 114 * p[2]) / 1000 : p[0];
        if (img.channels == 2) lum = lum * p[1] / 255;
        if (img.channels == 4) lum = lum * p[3] / 255;
        g[i] = uint8_t(lum);
    }
    return g;
}

}  // namespace ar
