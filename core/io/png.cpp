#include "core/io/png.h"

#include "core/error.h"

#include <array>
#include <fstream>
#include <sstream>

namespace ar {

uint32_t crc32(std::string_view data, uint32_t crc) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t n = 0; n < 256; ++n) {
            uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (unsigned char ch : data) crc = table[(crc ^ ch) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

uint32_t adler32(std::string_view data) {
    uint32_t a = 1, b = 0;
    for (unsigned char ch : data) {
        a = (a + ch) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}

// ---- inflate ---------------------------------------------------------------------------------------

namespace {

struct BitReader {
    std::string_view in;
    size_t pos = 0;
    uint32_t bitbuf = 0;
    int bitcnt = 0;
    const std::string& label;
    int bits(int need) {
        uint32_t val = bitbuf;
        while (bitcnt < need) {
            if (pos >= in.size()) throw Error(label + ": compressed data ends early (truncated file?)");
            val |= uint32_t(uint8_t(in[pos++])) << bitcnt;
            bitcnt += 8;
        }
        bitbuf = val >> need;
        bitcnt -= need;
        return int(val & ((1u << need) - 1));
    }
};

struct Huffman {
    std::array<short, 16> count{};
    std::array<short, 288> symbol{};
};

// Builds canonical Huffman decoding tables; returns false for an over-subscribed code.
bool buildHuffman(Huffman& h, const short* lengths, int n) {
    h.count.fill(0);
    for (int s = 0; s < n; ++s) h.count[size_t(lengths[s])]++;
    if (h.count[0] == n) return true;  // no codes (allowed for a distance code that is never used)
    int left = 1;
    for (int len = 1; len < 16; ++len) {
        left <<= 1;
        left -= h.count[size_t(len)];
        if (left < 0) return false;
    }
    std::array<short, 16> offs{};
    for (int len = 1; len < 15; ++len) offs[size_t(len + 1)] = short(offs[size_t(len)] + h.count[size_t(len)]);
    for (int s = 0; s < n; ++s)
        if (lengths[s] != 0) h.symbol[size_t(offs[size_t(lengths[s])]++)] = short(s);
    return true;
}

int decodeSymbol(BitReader& br, const Huffman& h) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len < 16; ++len) {
        code |= br.bits(1);
        const int count = h.count[size_t(len)];
        if (code - count < first) return h.symbol[size_t(index + (code - first))];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    throw Error(br.label + ": invalid Huffman code in compressed data");
}

const short kLenBase[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
const short kLenExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
const short kDistBase[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
const short kDistExtra[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

void inflateCodes(BitReader& br, std::string& out, const Huffman& lencode, const Huffman& distcode, size_t limit) {
    for (;;) {
        int sym = decodeSymbol(br, lencode);
        if (sym < 256) {
            out.push_back(char(sym));
        } else if (sym == 256) {
            return;
        } else {
            sym -= 257;
            if (sym >= 29) throw Error(br.label + ": invalid length code in compressed data");
            const int len = kLenBase[sym] + br.bits(kLenExtra[sym]);
            const int dsym = decodeSymbol(br, distcode);
            if (dsym >= 30) throw Error(br.label + ": invalid distance code in compressed data");
            const size_t dist = size_t(kDistBase[dsym] + br.bits(kDistExtra[dsym]));
            if (dist > out.size()) throw Error(br.label + ": compressed data refers before the start of the output");
            for (int i = 0; i < len; ++i) out.push_back(out[out.size() - dist]);
        }
        if (limit && out.size() > limit) throw Error(br.label + ": decompressed data is larger than the image needs");
    }
}

}  // namespace

std::string inflateZlib(std::string_view data, const std::string& label, size_t expectedSize) {
    if (data.size() < 6) throw Error(label + ": zlib stream too short");
    const uint8_t cmf = uint8_t(data[0]), flg = uint8_t(data[1]);
    if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7) throw Error(label + ": zlib stream is not deflate-compressed");
    if (((cmf << 8) | flg) % 31 != 0) throw Error(label + ": zlib header check failed");
    if (flg & 0x20) throw Error(label + ": zlib preset dictionaries are not supported");
    BitReader br{data.substr(2, data.size() - 6), 0, 0, 0, label};
    std::string out;
    if (expectedSize) out.reserve(expectedSize);
    int last = 0;
    do {
        last = br.bits(1);
        const int type = br.bits(2);
        if (type == 0) {
            br.bitbuf = 0;
            br.bitcnt = 0;
            if (br.pos + 4 > br.in.size()) throw Error(label + ": compressed data ends early (truncated file?)");
            const unsigned len = uint8_t(br.in[br.pos]) | (uint8_t(br.in[br.pos + 1]) << 8);
            const unsigned nlen = uint8_t(br.in[br.pos + 2]) | (uint8_t(br.in[br.pos + 3]) << 8);
            br.pos += 4;
            if (len != (~nlen & 0xFFFF)) throw Error(label + ": corrupt stored block in compressed data");
            if (br.pos + len > br.in.size()) throw Error(label + ": compressed data ends early (truncated file?)");
            out.append(br.in.substr(br.pos, len));
            br.pos += len;
            if (expectedSize && out.size() > expectedSize)
                throw Error(label + ": decompressed data is larger than the image needs");
        } else if (type == 1) {
            static const auto fixed = [] {
                std::array<short, 320> l{};
                int s = 0;
                for (; s < 144; ++s) l[size_t(s)] = 8;
                for (; s < 256; ++s) l[size_t(s)] = 9;
                for (; s < 280; ++s) l[size_t(s)] = 7;
                for (; s < 288; ++s) l[size_t(s)] = 8;
                for (; s < 318; ++s) l[size_t(s)] = 5;
                std::pair<Huffman, Huffman> h;
                buildHuffman(h.first, l.data(), 288);
                buildHuffman(h.second, l.data() + 288, 30);
                return h;
            }();
            inflateCodes(br, out, fixed.first, fixed.second, expectedSize);
        } else if (type == 2) {
            const int nlen = br.bits(5) + 257, ndist = br.bits(5) + 1, ncode = br.bits(4) + 4;
            if (nlen > 286 || ndist > 30) throw Error(label + ": bad dynamic Huffman header");
            static const int order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
            std::array<short, 320> lengths{};
            for (int i = 0; i < ncode; ++i) lengths[size_t(order[i])] = short(br.bits(3));
            Huffman lencode, distcode;
            if (!buildHuffman(lencode, lengths.data(), 19)) throw Error(label + ": bad code-length code");
            int index = 0;
            while (index < nlen + ndist) {
                int sym = decodeSymbol(br, lencode);
                if (sym < 16) {
                    lengths[size_t(index++)] = short(sym);
                } else {
                    short len = 0;
                    int rep;
                    if (sym == 16) {
                        if (index == 0) throw Error(label + ": repeat with no previous length");
                        len = lengths[size_t(index - 1)];
                        rep = 3 + br.bits(2);
                    } else if (sym == 17) {
                        rep = 3 + br.bits(3);
                    } else {
                        rep = 11 + br.bits(7);
                    }
                    if (index + rep > nlen + ndist) throw Error(label + ": too many code lengths");
                    while (rep--) lengths[size_t(index++)] = len;
                }
            }
            if (lengths[256] == 0) throw Error(label + ": Huffman code has no end-of-block symbol");
            if (!buildHuffman(lencode, lengths.data(), nlen) || !buildHuffman(distcode, lengths.data() + nlen, ndist))
                throw Error(label + ": bad Huffman code lengths");
            inflateCodes(br, out, lencode, distcode, expectedSize);
        } else {
            throw Error(label + ": invalid deflate block type 3");
        }
    } while (!last);
    const std::string_view tail = data.substr(data.size() - 4);
    const uint32_t want = (uint32_t(uint8_t(tail[0])) << 24) | (uint32_t(uint8_t(tail[1])) << 16) |
                          (uint32_t(uint8_t(tail[2])) << 8) | uint32_t(uint8_t(tail[3]));
    if (adler32(out) != want) throw Error(label + ": zlib checksum (Adler-32) mismatch: the data is corrupt");
    return out;
}

// ---- PNG decode ------------------------------------------------------------------------------------

namespace {
uint32_t be32(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) | (uint32_t(uint8_t(b[at + 2])) << 8) |
           uint32_t(uint8_t(b[at + 3]));
}
const char kSignature[8] = {char(0x89), 'P', 'N', 'G', '\r', '\n', char(0x1A), '\n'};
int paeth(int a, int b, int c) {
    const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
    return (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c);
}
}  // namespace

PngImage decodePng(std::string_view bytes, const std::string& label) {
    if (bytes.size() < 8 || bytes.substr(0, 8) != std::string_view(kSignature, 8))
        throw Error(label + ": not a PNG file (bad signature)");
    size_t pos = 8;
    int width = 0, height = 0, depth = 0, ctype = -1;
    bool seenEnd = false;
    std::string idat;
    std::vector<std::array<uint8_t, 4>> palette;
    std::vector<uint8_t> trns;
    while (!seenEnd) {
        if (pos + 12 > bytes.size()) throw Error(label + ": truncated (no IEND chunk)");
        const uint32_t len = be32(bytes, pos);
        const std::string type(bytes.substr(pos + 4, 4));
        if (len > bytes.size() - pos - 12) throw Error(label + ": chunk '" + type + "' runs past the end of the file");
        const std::string_view body = bytes.substr(pos + 8, len);
        if (crc32(bytes.substr(pos + 4, 4 + len)) != be32(bytes, pos + 8 + len))
            throw Error(label + ": CRC mismatch in chunk '" + type + "' (corrupt file)");
        pos += 12 + len;
        if (ctype < 0 && type != "IHDR") throw Error(label + ": first chunk is '" + type + "', expected IHDR");
        if (type == "IHDR") {
            if (len != 13) throw Error(label + ": IHDR has length " + std::to_string(len) + ", expected 13");
            width = int(std::min<uint32_t>(be32(body, 0), 1u << 30));
            height = int(std::min<uint32_t>(be32(body, 4), 1u << 30));
            depth = uint8_t(body[8]);
            ctype = uint8_t(body[9]);
            if (width <= 0 || height <= 0) throw Error(label + ": image has zero width or height");
            if (uint64_t(width) * uint64_t(height) > (1u << 26)) throw Error(label + ": image is too large (" + std::to_string(width) + "x" + std::to_string(height) + ")");
            if (body[10] != 0 || body[11] != 0) throw Error(label + ": unknown compression or filter method");
            if (body[12] != 0) throw Error(label + ": interlaced PNGs are not supported (save it without interlacing)");
            const bool ok = (ctype == 0 && (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)) ||
                            (ctype == 3 && (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                            ((ctype == 2 || ctype == 4 || ctype == 6) && (depth == 8 || depth == 16));
            if (!ok) throw Error(label + ": unsupported colour type " + std::to_string(ctype) + " with bit depth " + std::to_string(depth));
        } else if (type == "PLTE") {
            if (len % 3 != 0 || len == 0 || len > 768) throw Error(label + ": bad PLTE chunk length " + std::to_string(len));
            for (uint32_t i = 0; i < len; i += 3)
                palette.push_back({uint8_t(body[i]), uint8_t(body[i + 1]), uint8_t(body[i + 2]), 255});
        } else if (type == "tRNS") {
            trns.assign(body.begin(), body.end());
        } else if (type == "IDAT") {
            idat.append(body);
        } else if (type == "IEND") {
            seenEnd = true;
        } else if (!(type[0] & 0x20)) {
            throw Error(label + ": unknown critical chunk '" + type + "'");
        }
    }
    if (idat.empty()) throw Error(label + ": no image data (IDAT)");
    if (ctype == 3) {
        if (palette.empty()) throw Error(label + ": palette image without a PLTE chunk");
        for (size_t i = 0; i < trns.size() && i < palette.size(); ++i) palette[i][3] = trns[i];
    }
    const int samples = ctype == 2 ? 3 : ctype == 4 ? 2 : ctype == 6 ? 4 : 1;
    const size_t bitsPerPixel = size_t(samples) * size_t(depth);
    const size_t stride = (size_t(width) * bitsPerPixel + 7) / 8;
    const size_t bpp = std::max<size_t>(1, bitsPerPixel / 8);
    const size_t expected = (stride + 1) * size_t(height);
    const std::string raw = inflateZlib(idat, label, expected);
    if (raw.size() != expected)
        throw Error(label + ": image data has " + std::to_string(raw.size()) + " bytes, expected " + std::to_string(expected));

    // Undo the per-row filters.
    std::vector<uint8_t> cur(stride), prev(stride, 0);
    PngImage img;
    img.width = width;
    img.height = height;
    const bool alpha = ctype == 4 || ctype == 6 || (ctype == 3 && !trns.empty());
    const bool color = ctype == 2 || ctype == 6 || ctype == 3;
    img.channels = (color ? 3 : 1) + (alpha ? 1 : 0);
    img.pixels.resize(size_t(width) * height * img.channels);
    for (int y = 0; y < height; ++y) {
        const size_t row = size_t(y) * (stride + 1);
        const int filter = uint8_t(raw[row]);
        for (size_t i = 0; i < stride; ++i) {
            const int x = uint8_t(raw[row + 1 + i]);
            const int a = i >= bpp ? cur[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
            int v;
            switch (filter) {
            case 0: v = x; break;
            case 1: v = x + a; break;
            case 2: v = x + b; break;
            case 3: v = x + ((a + b) >> 1); break;
            case 4: v = x + paeth(a, b, c); break;
            default: throw Error(label + ": row " + std::to_string(y) + " has unknown filter type " + std::to_string(filter));
            }
            cur[i] = uint8_t(v);
        }
        for (int x = 0; x < width; ++x) {
            uint8_t* out = &img.pixels[(size_t(y) * width + x) * img.channels];
            auto sample = [&](int s) -> int {  // sample s of pixel x, scaled to 8 bits
                if (depth == 16) return cur[(size_t(x) * samples + s) * 2];
                if (depth == 8) return cur[size_t(x) * samples + s];
                const size_t bit = size_t(x) * depth;
                const int v = (cur[bit / 8] >> (8 - depth - int(bit % 8))) & ((1 << depth) - 1);
                return ctype == 3 ? v : v * 255 / ((1 << depth) - 1);
            };
            if (ctype == 3) {
                const int idx = sample(0);
                if (idx >= int(palette.size())) throw Error(label + ": palette index " + std::to_string(idx) + " out of range");
                for (int s = 0; s < img.channels; ++s) out[s] = palette[size_t(idx)][size_t(s)];
            } else {
                for (int s = 0; s < samples; ++s) out[s] = uint8_t(sample(s));
            }
        }
        std::swap(cur, prev);
    }
    return img;
}

PngImage readPng(const std::string& path) {
    const std::string label = "PNG '" + path + "'";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(label + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return decodePng(ss.str(), label);
}

// ---- PNG encode (stored deflate blocks) ------------------------------------------------------------

namespace {
void put32(std::string& s, uint32_t v) {
    for (int i = 3; i >= 0; --i) s.push_back(char((v >> (8 * i)) & 0xFF));
}
void chunk(std::string& out, const char* type, const std::string& body) {
    put32(out, uint32_t(body.size()));
    const std::string tb = std::string(type, 4) + body;
    out += tb;
    put32(out, crc32(tb));
}
}  // namespace

std::string encodePng(const PngImage& img) {
    if (img.width <= 0 || img.height <= 0 || img.channels < 1 || img.channels > 4 ||
        img.pixels.size() != size_t(img.width) * img.height * img.channels)
        throw Error("encodePng: inconsistent image");
    std::string raw;
    const size_t stride = size_t(img.width) * img.channels;
    for (int y = 0; y < img.height; ++y) {
        raw.push_back(0);
        raw.append(reinterpret_cast<const char*>(img.pixels.data()) + y * stride, stride);
    }
    std::string z = {char(0x78), char(0x01)};
    for (size_t at = 0; at < raw.size() || at == 0; at += 65535) {
        const size_t n = std::min<size_t>(65535, raw.size() - at);
        z.push_back(at + n >= raw.size() ? 1 : 0);
        z.push_back(char(n & 0xFF));
        z.push_back(char(n >> 8));
        z.push_back(char(~n & 0xFF));
        z.push_back(char((~n >> 8) & 0xFF));
        z.append(raw, at, n);
        if (raw.empty()) break;
    }
    put32(z, adler32(raw));
    std::string out(kSignature, 8);
    std::string ihdr;
    put32(ihdr, uint32_t(img.width));
    put32(ihdr, uint32_t(img.height));
    const char ctypes[5] = {0, 0, 4, 2, 6};
    ihdr += {char(8), ctypes[img.channels], 0, 0, 0};
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", z);
    chunk(out, "IEND", "");
    return out;
}

void writePng(const std::string& path, const PngImage& image) {
    const std::string bytes = encodePng(image);
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error("cannot write '" + path + "'");
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw Error("write to '" + path + "' failed");
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
