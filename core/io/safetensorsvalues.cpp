// Safetensors tensor values: dtype decoding (F16/BF16/F64 -> F32, once), reads from an open file in 1 MB pieces
// straight into their final buffer, the NaN/Inf scan, and loadParams (file -> a model's parameters).
// The header and its checks are safetensors.cpp.
#include "core/io/safetensorsdetail.h"

#include "core/error.h"
#include "core/memory.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <set>
#include <unistd.h>

namespace ar {

TensorSource::~TensorSource() {
    if (fd >= 0) ::close(fd);
}

namespace st {

std::vector<int64_t> paramShape(const NamedParam& p) {
    if (p.shape.empty()) return {int64_t(p.var.rows()), int64_t(p.var.cols())};
    return std::vector<int64_t>(p.shape.begin(), p.shape.end());
}

void fail(const std::string& label, const std::string& what) { throw Error(label + ": " + what); }

std::string shapeText(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

uint64_t readU64LE(const unsigned char* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Element size of every dtype the format defines (0: unknown name). Only F32/F16/BF16/F64 are readable.
int dtypeSize(const std::string& name) {
    static const std::pair<const char*, int> table[] = {
        {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E4M3", 1}, {"F8_E5M2", 1}, {"I16", 2}, {"U16", 2}, {"F16", 2},
        {"BF16", 2}, {"I32", 4}, {"U32", 4}, {"F32", 4},     {"I64", 8},     {"U64", 8}, {"F64", 8}};
    for (const auto& [n, s] : table)
        if (name == n) return s;
    return 0;
}

bool readableDtype(const std::string& name, DType& out) {
    static const std::pair<const char*, DType> table[] = {
        {"F32", DType::F32}, {"F16", DType::F16}, {"BF16", DType::BF16}, {"F64", DType::F64}};
    for (const auto& [n, dt] : table)
        if (name == n) {
            out = dt;
            return true;
        }
    return false;
}

namespace {

float halfToFloat(uint16_t h) {  // IEEE binary16 -> binary32, exact (every half is a float)
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1Fu;
    uint32_t mant = h & 0x3FFu;
    uint32_t bits;
    if (exp == 0x1F) {
        bits = sign | 0x7F800000u | (mant << 13);  // inf / nan (payload kept)
    } else if (exp != 0) {
        bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;  // +-0
    } else {          // subnormal half: normalise
        int e = -1;
        do {
            ++e;
            mant <<= 1;
        } while ((mant & 0x400u) == 0);
        bits = sign | (uint32_t(127 - 15 - e) << 23) | ((mant & 0x3FFu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bf16ToFloat(uint16_t h) {
    const uint32_t bits = uint32_t(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

}  // namespace

void decode(DType dt, const unsigned char* p, size_t count, float* out) {
    if (count == 0) return;  // an empty tensor: its buffer may be null, and memcpy must not see a null pointer
    switch (dt) {
    case DType::F32:
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(out, p, 4 * count);
        } else {
            for (size_t i = 0; i < count; ++i) {
                const uint32_t bits = uint32_t(p[4 * i]) | uint32_t(p[4 * i + 1]) << 8 | uint32_t(p[4 * i + 2]) << 16 |
                                      uint32_t(p[4 * i + 3]) << 24;
                std::memcpy(&out[i], &bits, 4);
            }
        }
        break;
    case DType::F16:
        for (size_t i = 0; i < count; ++i) out[i] = halfToFloat(uint16_t(p[2 * i] | p[2 * i + 1] << 8));
        break;
    case DType::BF16:
        for (size_t i = 0; i < count; ++i) out[i] = bf16ToFloat(uint16_t(p[2 * i] | p[2 * i + 1] << 8));
        break;
    case DType::F64:
        for (size_t i = 0; i < count; ++i) {
            const uint64_t bits = readU64LE(p + 8 * i);
            double d;
            std::memcpy(&d, &bits, 8);
            out[i] = float(d);
        }
        break;
    }
}

// All `n` bytes at file offset `at`, or a specific error (the file may shrink after its header was checked).
void preadAll(int fd, void* buf, size_t n, uint64_t at, const std::string& label, const std::string& what) {
    auto* p = static_cast<char*>(buf);
    while (n > 0) {
        const ssize_t got = ::pread(fd, p, n, off_t(at));
        if (got < 0) {
            if (errno == EINTR) continue;
            fail(label, "read error in " + what + ": " + std::strerror(errno));
        }
        if (got == 0) fail(label, what + " ends early: the file is shorter than its header says (changed while being read?)");
        p += got;
        n -= size_t(got);
        at += uint64_t(got);
    }
}

}  // namespace st

using namespace st;

namespace {

DType dtypeOf(const std::string& name) {
    DType dt;
    if (!readableDtype(name, dt)) throw Error("tensor dtype '" + name + "' cannot be read");
    return dt;
}

using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

// Index of the first NaN or Inf among n floats, or -1. Per block, sum(x * 0) is NaN exactly when some x is NaN
// or Inf (Eigen's vectorised sum); the index is then found one by one.
int64_t firstNonFinite(const float* p, size_t n) {
    constexpr size_t kBlock = 4096;
    for (size_t b = 0; b < n; b += kBlock) {
        const size_t e = std::min(n, b + kBlock);
        if (!std::isnan((ConstArrayMap(p + b, Index(e - b)) * 0.0f).sum())) continue;
        for (size_t i = b; i < e; ++i)
            if (!std::isfinite(p[i])) return int64_t(i);
    }
    return -1;
}

constexpr size_t kChunkValues = size_t(1) << 18;  // read in 1 MB (F32) pieces, each checked while in cache

// The stored values of `t` in chunks: written to dst[first ..] when dst is given (the final buffer), else to a
// chunk-sized staging buffer; fn(first, values, n) after each chunk.
template <class Fn>
void forEachChunk(const TensorEntry& t, float* dst, Fn&& fn) {
    const uint64_t n = t.count();
    if (!t.source) {
        if (t.data.size() != n)
            throw Error("tensor '" + t.name + "' has shape " + shapeText(t.shape) + " (" + std::to_string(n) +
                        " values) but holds " + std::to_string(t.data.size()) + " values");
        if (dst && n) std::memcpy(dst, t.data.data(), 4 * n);
        fn(uint64_t(0), dst ? dst : t.data.data(), size_t(n));
        return;
    }
    const DType dt = dtypeOf(t.dtype);
    const int elem = dtypeSize(t.dtype);
    const std::string what = "tensor '" + t.name + "'";
    const bool direct = dt == DType::F32 && std::endian::native == std::endian::little;
    std::vector<unsigned char> bytes(direct ? 0 : size_t(std::min<uint64_t>(n, kChunkValues)) * size_t(elem));
    std::vector<float> staging(dst ? 0 : size_t(std::min<uint64_t>(n, kChunkValues)));
    for (uint64_t first = 0; first < n; first += kChunkValues) {
        const size_t len = size_t(std::min<uint64_t>(kChunkValues, n - first));
        float* out = dst ? dst + first : staging.data();
        const uint64_t at = t.offset + first * uint64_t(elem);
        if (direct) {
            preadAll(t.source->fd, out, 4 * len, at, t.source->label, what);
        } else {
            preadAll(t.source->fd, bytes.data(), len * size_t(elem), at, t.source->label, what);
            decode(dt, bytes.data(), len, out);
        }
        fn(first, static_cast<const float*>(out), len);
    }
}

}  // namespace

uint64_t TensorEntry::count() const {
    uint64_t n = 1;
    for (int64_t d : shape) n *= uint64_t(std::max<int64_t>(d, 0));
    return n;
}

int64_t TensorEntry::read(float* out) const {
    if (transposed) {
        if (shape.size() != 2) throw Error("tensor '" + name + "': only a 2-D tensor can be stored transposed");
        std::vector<float> stored(static_cast<size_t>(this->count()));  // the one copy: the layout changes
        forEachChunk(*this, stored.data(), [](uint64_t, const float*, size_t) {});
        MatMap(out, Index(shape[0]), Index(shape[1])) = ConstMatMap(stored.data(), Index(shape[1]), Index(shape[0])).transpose();
        return firstNonFinite(out, size_t(count()));
    }
    int64_t bad = -1;
    forEachChunk(*this, out, [&](uint64_t first, const float* p, size_t n) {
        if (bad < 0)
            if (const int64_t k = firstNonFinite(p, n); k >= 0) bad = int64_t(first) + k;
    });
    return bad;
}

void TensorEntry::scan(const std::function<void(uint64_t first, std::span<const float> values)>& fn) const {
    forEachChunk(*this, nullptr, [&](uint64_t first, const float* p, size_t n) { fn(first, std::span<const float>(p, n)); });
}

bool sameValues(const TensorEntry& t, const Mat& m, int64_t* nonFinite) {
    if (nonFinite) *nonFinite = -1;
    bool same = !t.transposed && t.shape == std::vector<int64_t>{m.rows(), m.cols()};
    if (!same && !nonFinite) return false;
    const float* want = m.data();  // row-major: file order
    t.scan([&](uint64_t first, std::span<const float> v) {
        if (nonFinite && *nonFinite < 0)
            if (const int64_t k = firstNonFinite(v.data(), v.size()); k >= 0) *nonFinite = int64_t(first) + k;
        // As floats (-0 == 0, NaN differs): the sum of |a - b| is 0 exactly when every pair is equal.
        if (same) same = (ConstArrayMap(v.data(), Index(v.size())) - ConstArrayMap(want + first, Index(v.size()))).abs().sum() == 0.0f;
    });
    return same;
}

void loadParams(const SafeTensors& file, const ParamList& params, const std::string& label, std::string_view tiedCopy) {
    std::vector<std::string> problems;
    std::vector<std::string> missing, mismatched, extra, nonFinite;
    std::set<std::string> known;
    std::vector<std::pair<const NamedParam*, const TensorEntry*>> matched;
    for (const auto& p : params) {
        known.insert(p.name);
        const TensorEntry* t = file.find(p.name);
        if (!t) {
            missing.push_back("'" + p.name + "'");
            continue;
        }
        const auto want = paramShape(p);
        if (t->shape != want) {
            mismatched.push_back("'" + p.name + "' is " + shapeText(t->shape) + " in the file but the model expects " +
                                 shapeText(want));
            continue;
        }
        matched.push_back({&p, t});
    }
    for (const auto& t : file.tensors)
        if (!known.count(t.name) && t.name != tiedCopy) extra.push_back("'" + t.name + "'");
    const bool structural = !missing.empty() || !extra.empty() || !mismatched.empty();
    // Each tensor is read once, straight into its parameter; when the file does not fit the model, the values
    // are only checked (nothing is copied).
    for (const auto& [p, t] : matched) {
        int64_t bad = -1;
        if (structural) {
            t->scan([&](uint64_t first, std::span<const float> v) {
                for (size_t i = 0; i < v.size() && bad < 0; ++i)
                    if (!std::isfinite(v[i])) bad = int64_t(first + i);
            });
        } else {
            Var v = p->var;
            float* out = v.value().data();  // on huge pages (core/memory.h): a decode step streams every weight
            const TensorEntry* entry = t;   // (clang 14 cannot capture a structured binding)
            writeOnHugePages(out, size_t(entry->count()) * sizeof(float), [&] { bad = entry->read(out); });
        }
        if (bad >= 0) nonFinite.push_back("'" + p->name + "' (element " + std::to_string(bad) + ")");
    }
    const auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
        return s;
    };
    if (!missing.empty()) problems.push_back("missing tensor" + std::string(missing.size() > 1 ? "s " : " ") + join(missing));
    if (!extra.empty()) problems.push_back("unexpected tensor" + std::string(extra.size() > 1 ? "s " : " ") + join(extra));
    if (!mismatched.empty()) problems.push_back("shape mismatch: " + join(mismatched));
    if (!nonFinite.empty()) problems.push_back("non-finite values (NaN or Inf) in " + join(nonFinite));
    if (!problems.empty()) {
        std::string msg = "does not match the model: ";
        for (size_t i = 0; i < problems.size(); ++i) msg += (i ? "; " : "") + problems[i];
        fail(label, msg);
    }
}

}  // namespace ar
