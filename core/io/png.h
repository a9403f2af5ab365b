#pragma once
// A small, strict PNG reader and writer (no zlib in core/).
//   Reader: non-interlaced PNGs, colour types gray / gray+alpha / RGB / RGBA (8 or 16 bit; gray also 1/2/4)
//           and palette (1/2/4/8 bit, tRNS alpha); zlib streams with stored, fixed and dynamic Huffman
//           blocks (a compact inflate). Every chunk CRC and the zlib Adler-32 are checked.
//   Writer: 8-bit gray, RGB or RGBA with stored (uncompressed) deflate blocks.
// Every failure throws ar::Error starting with the file's label and saying what is wrong.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ar {

struct PngImage {
    int width = 0, height = 0;
    int channels = 1;             // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; 8 bits each
    std::vector<uint8_t> pixels;  // height * width * channels, row-major
};

PngImage decodePng(std::string_view bytes, const std::string& label);
PngImage readPng(const std::string& path);  // label "PNG '<path>'"
std::string encodePng(const PngImage& image);
void writePng(const std::string& path, const PngImage& image);

// zlib (RFC 1950) around deflate (RFC 1951). `expectedSize` > 0: output larger than that is an error.
std::string inflateZlib(std::string_view data, const std::string& label, size_t expectedSize = 0);
uint32_t crc32(std::string_view data, uint32_t crc = 0);
uint32_t adler32(std::string_view data);

// Luminance 0-255 per pixel (alpha composited over black).
std::vector<uint8_t> toGray(const PngImage& image);

}  // namespace ar
