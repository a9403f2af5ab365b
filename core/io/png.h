#pragma once
// PNG reading and writing through libspng (zlib underneath): no hand-written decompression in arlab.
//   Reader: every PNG colour type and bit depth, interlaced or not; 16-bit samples keep their high byte,
//           palettes are expanded (tRNS gives alpha). Before anything is decompressed the chunk layout is
//           checked (signature, chunk bounds, CRCs, exactly one IHDR and it comes first, an IEND) and the
//           IHDR's size against kMaxPngSide / kMaxPngPixels and the caller's own check, so a small file
//           claiming a huge image costs nothing.
//   Writer: 8-bit gray, gray+alpha, RGB or RGBA, zlib-compressed, written atomically (core/io/atomicfile.h).
// Every failure throws ar::Error starting with the file's label and saying what is wrong.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

inline constexpr int kMaxPngSide = 16384;               // width and height
inline constexpr int64_t kMaxPngPixels = int64_t(1) << 24;  // width * height (16.8 million pixels)
inline constexpr uint64_t kMaxPngFileBytes = uint64_t(256) << 20;

struct PngImage {
    int width = 0, height = 0;
    int channels = 1;             // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; 8 bits each
    std::vector<uint8_t> pixels;  // height * width * channels, row-major
};

// Called with the IHDR's width and height before anything is decoded; throws to refuse the image
// (e.g. "is 8192x8192, the model works on 28x28 images").
using PngSizeCheck = std::function<void(int width, int height)>;

PngImage decodePng(std::string_view bytes, const std::string& label, const PngSizeCheck& checkSize = {});
PngImage readPng(const std::string& path, const PngSizeCheck& checkSize = {});  // label "PNG '<path>'"
std::string encodePng(const PngImage& image);
void writePng(const std::string& path, const PngImage& image);  // atomic; label "PNG '<path>'"

// Luminance 0-255 per pixel (alpha composited over black).
std::vector<uint8_t> toGray(const PngImage& image);

}  // namespace ar
