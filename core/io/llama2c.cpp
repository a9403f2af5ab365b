#include "core/io/llama2c.h"

#include "core/data/scorebpe.h"
#include "core/error.h"
#include "core/memory.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace ar {

namespace {
const uint32_t kMagic = 0x616b3432;  // "ak42"

int32_t i32(std::string_view b, size_t at) {
    int32_t v;
    std::memcpy(&v, b.data() + at, 4);
    return v;
}
}  // namespace

Llama2cHeader parseLlama2cHeader(std::string_view head, uint64_t fileSize, const std::string& label) {
    Llama2cHeader h;
    if (head.size() < 28) throw Error(label + ": the file is " + std::to_string(fileSize) + " bytes, too short for a llama2.c header");
    uint32_t magic;
    std::memcpy(&magic, head.data(), 4);
    size_t at = 0;
    if (magic == kMagic) {
        if (head.size() < 256) throw Error(label + ": the version header is cut short (" + std::to_string(fileSize) + " bytes, needs 256)");
        h.version = i32(head, 4);
        if (h.version == 2) throw Error(label + ": version 2 (int8 quantized, runq.c) is not supported; export with version 0 or 1 (fp32)");
        if (h.version != 1) throw Error(label + ": llama2.c version " + std::to_string(h.version) + " is not known (expected 1)");
        h.headerBytes = 256;
        at = 8;
    } else {
        h.version = 0;
        h.headerBytes = 28;
    }
    const char* names[7] = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
    int32_t f[7];
    for (int i = 0; i < 7; ++i) f[i] = i32(head, at + 4 * size_t(i));
    LlamaConfig& c = h.config;
    c.sharedClassifier = true;
    if (h.version == 0 && f[5] < 0 && f[5] != INT32_MIN) {
        c.sharedClassifier = false;  // legacy: negative vocab_size = unshared classifier
        f[5] = -f[5];
    }
    if (h.version == 1) {
        const auto flag = static_cast<unsigned char>(head[at + 28]);
        if (flag > 1) throw Error(label + ": shared_classifier is " + std::to_string(flag) + ", not 0 or 1");
        c.sharedClassifier = flag == 1;
    }
    for (int i = 0; i < 7; ++i)
        if (f[i] <= 0)
            throw Error(label + ": header field " + names[i] + " is " + std::to_string(f[i]) +
                        (h.version == 0 ? " (not a llama2.c checkpoint, or a damaged one)" : ""));
    c.dim = f[0];
    c.hidden = f[1];
    c.layers = f[2];
    c.heads = f[3];
    c.kvHeads = f[4];
    c.vocab = f[5];
    c.seqLen = f[6];
    try {
        c.validate();
    } catch (const Error& e) {
        throw Error(label + ": header: " + e.what());
    }
    // The exact size, in 64 bits (every factor is bounded by validate(), so no overflow).
    uint64_t floats = c.parameterCount();
    if (h.version == 0) floats += uint64_t(c.seqLen) * uint64_t(c.headSize());  // freq_cis_real + imag
    h.fileBytes = h.headerBytes + 4 * floats;
    if (h.fileBytes != fileSize)
        throw Error(label + ": the header (dim " + std::to_string(c.dim) + ", " + std::to_string(c.layers) + " layers, vocab " +
                    std::to_string(c.vocab) + ") implies " + std::to_string(h.fileBytes) + " bytes but the file has " +
                    std::to_string(fileSize) + (fileSize < h.fileBytes ? " (truncated?)" : " (extra data: not this format?)"));
    return h;
}

std::string llamaTokenizerNextTo(const std::string& checkpoint) {
    fs::path dir = fs::path(checkpoint).parent_path();
    if (dir.empty()) dir = ".";
    std::error_code ec;
    const fs::path t = dir / "tokenizer.bin";
    return fs::is_regular_file(t, ec) ? t.string() : std::string();
}

std::unique_ptr<Llama> loadLlama2c(const std::string& path, const std::string& tokenizerPath) {
    const std::string label = "llama2.c checkpoint '" + path + "'";
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw Error(label + ": is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(label + ": cannot open: " + std::strerror(errno));
    const uint64_t size = fs::file_size(path, ec);
    if (ec) throw Error(label + ": cannot tell the file's size");
    std::string head(size_t(std::min<uint64_t>(size, 256)), '\0');
    in.read(head.data(), std::streamsize(head.size()));
    const Llama2cHeader h = parseLlama2cHeader(head, size, label);

    std::string tokPath = tokenizerPath.empty() ? llamaTokenizerNextTo(path) : tokenizerPath;
    if (tokPath.empty())
        throw Error("tokenizer.bin not found next to " + fs::path(path).filename().string() + " (folder '" +
                    (fs::path(path).parent_path().empty() ? std::string(".") : fs::path(path).parent_path().string()) +
                    "'); name one with --tokenizer FILE");
    Tokenizer tok = readLlamaTokenizer(tokPath, h.config.vocab);
    auto model = std::make_unique<Llama>(h.config, std::move(tok));

    in.seekg(std::streamoff(h.headerBytes));
    const auto read = [&](Var& v) {
        Mat& m = v.value();
        bool ok = false;
        writeOnHugePages(m.data(), size_t(m.size()) * sizeof(float),  // core/memory.h
                         [&] { ok = bool(in.read(reinterpret_cast<char*>(m.data()), std::streamsize(m.size() * 4))); });
        if (!ok) throw Error(label + ": read error");
    };
    const int L = h.config.layers;
    const auto each = [&](Var Llama::Layer::*member) {
        for (int l = 0; l < L; ++l) read(model->layer(l).*member);
    };
    if (h.version == 0) {
        read(model->tokEmbeddings());
        each(&Llama::Layer::attnNorm);
        each(&Llama::Layer::wq);
        each(&Llama::Layer::wk);
        each(&Llama::Layer::wv);
        each(&Llama::Layer::wo);
        each(&Llama::Layer::ffnNorm);
        each(&Llama::Layer::w1);
        each(&Llama::Layer::w2);
        each(&Llama::Layer::w3);
        read(model->finalNorm());
        in.seekg(std::streamoff(uint64_t(h.config.seqLen) * uint64_t(h.config.headSize()) * 4), std::ios::cur);
    } else {
        each(&Llama::Layer::attnNorm);
        each(&Llama::Layer::ffnNorm);
        read(model->finalNorm());
        read(model->tokEmbeddings());
        each(&Llama::Layer::wq);
        each(&Llama::Layer::wk);
        each(&Llama::Layer::wv);
        each(&Llama::Layer::wo);
        each(&Llama::Layer::w1);
        each(&Llama::Layer::w2);
        each(&Llama::Layer::w3);
    }
    if (!h.config.sharedClassifier) read(model->classifier());
    for (const auto& p : model->parameters())
        if (!p.var.value().allFinite()) throw Error(label + ": tensor '" + p.name + "' holds NaN or infinite values");
    nlohmann::json prov = {{"format", h.version == 0 ? "llama2.c legacy (version 0)" : "llama2.c version 1 (ak42)"},
                           {"weights", path}, {"tokenizer", tokPath}};
    model->setProvenance(prov.dump());
    return model;
}

}  // namespace ar
