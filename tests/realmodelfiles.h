#pragma once
// Files of real-model formats, written by tests and benchmarks themselves (nothing is downloaded), byte for
// byte in the published layouts (header-only, arcore only):
//
//   GPT-2 (Hugging Face)  a small byte-level BPE vocabulary as vocab.json + merges.txt or tokenizer.json, and a
//                         TinyGpt's weights renamed and transposed into the Conv1D layout with config.json.
//   llama2.c              checkpoints in the legacy format (7 int32 header, run.c's tensor order, negative
//                         vocab_size = unshared classifier) and version 1 ("ak42", 256-byte header, export.py's
//                         order), and tokenizer.bin. Written here from the format descriptions, independently of
//                         core's reader.
#include "core/data/bytelevelbpe.h"
#include "core/io/safetensors.h"
#include "core/models/tinygpt.h"
#include "core/random.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace realfiles {

inline void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + path);
}

// --- GPT-2 -------------------------------------------------------------------------------------------

// The 256 byte tokens, then the merge results in merge order, then <|endoftext|> (265 tokens).
struct Gpt2TokenizerFiles {
    std::string vocabJson, mergesTxt, tokenizerJson;
};
inline const std::vector<std::pair<std::string, std::string>>& gpt2SmallMerges() {
    static const std::vector<std::pair<std::string, std::string>> m = {
        {"Ġ", "t"}, {"h", "e"}, {"Ġt", "he"}, {"e", "r"}, {"e", "e"}, {"æ", "Ī"}, {"Ġ", "Ġ"}, {"1", "2"}};
    return m;
}
inline Gpt2TokenizerFiles gpt2TokenizerFiles(bool pairsInJson = false) {
    nlohmann::json vocab = nlohmann::json::object();
    int next = 0;
    for (int b = 0; b < 256; ++b) vocab[ar::gpt2FileToken(std::string(1, char(b)))] = next++;
    nlohmann::json merges = nlohmann::json::array();
    std::string txt = "#version: 0.2\n";
    for (const auto& [a, b] : gpt2SmallMerges()) {
        if (!vocab.contains(a + b)) vocab[a + b] = next++;
        txt += a + " " + b + "\n";
        if (pairsInJson) merges.push_back({a, b});
        else merges.push_back(a + " " + b);
    }
    vocab["<|endoftext|>"] = next++;
    nlohmann::json tj;
    tj["version"] = "1.0";
    tj["added_tokens"] = {{{"id", next - 1}, {"content", "<|endoftext|>"}, {"special", true}}};
    tj["model"] = {{"type", "BPE"}, {"vocab", vocab}, {"merges", merges}};
    return {vocab.dump(), txt, tj.dump()};
}
inline ar::Tokenizer gpt2SmallTokenizer() {
    const Gpt2TokenizerFiles f = gpt2TokenizerFiles();
    return ar::gpt2TokenizerFromVocabMerges(f.vocabJson, f.mergesTxt);
}

struct Gpt2Layout {
    bool prefix = false;         // "transformer." in front of every name
    bool lmHead = false;         // a tied lm_head.weight copy
    bool buffers = true;         // attn.bias (1, 1, T, T) and attn.masked_bias () as Hugging Face saves them
    bool tokenizerJson = false;  // tokenizer.json instead of vocab.json + merges.txt
};

// model.safetensors + config.json (+ tokenizer files) in `dir` from a TinyGpt's weights.
inline void writeGpt2Folder(const std::string& dir, const ar::TinyGpt& m, const Gpt2Layout& layout = {},
                            const Gpt2TokenizerFiles& tok = gpt2TokenizerFiles()) {
    const ar::TinyGptConfig& c = m.config();
    ar::SafeTensors st;
    const std::string pre = layout.prefix ? "transformer." : "";
    for (const auto& p : m.parameters()) {
        std::string n = p.name.substr(std::string("transformer.").size());
        const ar::Mat& v = p.var.value();
        ar::TensorEntry e;
        e.name = pre + n;
        const bool conv = n.ends_with("c_attn.weight") || n.ends_with("c_proj.weight") || n.ends_with("c_fc.weight");
        if (conv) {  // Conv1D: (in, out)
            ar::Mat t = v.transpose();
            e.shape = {t.rows(), t.cols()};
            e.data.assign(t.data(), t.data() + t.size());
        } else {
            e.shape = p.shape.empty() ? std::vector<int64_t>{v.rows(), v.cols()} : std::vector<int64_t>(p.shape.begin(), p.shape.end());
            e.data.assign(v.data(), v.data() + v.size());
        }
        st.tensors.push_back(std::move(e));
    }
    if (layout.buffers)
        for (int l = 0; l < c.layers; ++l) {
            ar::TensorEntry mask;
            mask.name = pre + "h." + std::to_string(l) + ".attn.bias";
            mask.shape = {1, 1, c.contextLength, c.contextLength};
            mask.data.assign(size_t(c.contextLength) * size_t(c.contextLength), 0.0f);
            for (int i = 0; i < c.contextLength; ++i)
                for (int j = 0; j <= i; ++j) mask.data[size_t(i) * size_t(c.contextLength) + size_t(j)] = 1.0f;
            st.tensors.push_back(std::move(mask));
            st.tensors.push_back({pre + "h." + std::to_string(l) + ".attn.masked_bias", {}, {-1e4f}, "F32"});
        }
    if (layout.lmHead) {
        const ar::TensorEntry* wte = st.find(pre + "wte.weight");
        ar::TensorEntry head = *wte;
        head.name = "lm_head.weight";
        st.tensors.push_back(std::move(head));
    }
    st.metadata["format"] = "pt";
    writeFile(dir + "/model.safetensors", ar::serializeSafetensors(st));
    nlohmann::json cfg = {{"model_type", "gpt2"},   {"n_layer", c.layers},     {"n_head", c.heads},
                          {"n_embd", c.embd},       {"n_positions", c.contextLength}, {"n_ctx", c.contextLength},
                          {"vocab_size", c.vocabSize}, {"layer_norm_epsilon", c.lnEps},
                          {"activation_function", c.act == ar::Activation::GeluTanh ? "gelu_new" : "gelu"},
                          {"n_inner", nullptr}, {"bos_token_id", c.vocabSize - 1}, {"eos_token_id", c.vocabSize - 1}};
    writeFile(dir + "/config.json", cfg.dump(2));
    if (layout.tokenizerJson) {
        writeFile(dir + "/tokenizer.json", tok.tokenizerJson);
    } else {
        writeFile(dir + "/vocab.json", tok.vocabJson);
        writeFile(dir + "/merges.txt", tok.mergesTxt);
    }
}

// A GPT-2-shaped TinyGpt (tanh GELU) over the small vocabulary above, its weights moved off the initialisation so
// that its distributions are not near-uniform: write it with writeGpt2Folder.
inline ar::TinyGpt randomGpt2(uint64_t seed = 4, int layers = 2, int heads = 2, int embd = 16, int context = 32) {
    ar::TinyGptConfig c;
    c.layers = layers;
    c.heads = heads;
    c.embd = embd;
    c.contextLength = context;
    c.act = ar::Activation::GeluTanh;
    ar::TinyGpt m(c, gpt2SmallTokenizer(), seed);
    ar::Rng rng(seed + 1);
    for (auto& p : m.parameters())
        for (ar::Index i = 0; i < p.var.value().size(); ++i) p.var.value().data()[i] += float(rng.normal(0.0, 0.5));
    return m;
}

// --- llama2.c ----------------------------------------------------------------------------------------

struct LlamaShape {
    int dim = 16, hidden = 40, layers = 2, heads = 4, kvHeads = 2, vocab = 300, seqLen = 32;
    bool shared = true;  // classifier tied to the token embedding
    int headSize() const { return dim / heads; }
    int kvDim() const { return kvHeads * headSize(); }
};

// Weights in PyTorch's (out, in) layout, per layer.
struct LlamaWeights {
    ar::Mat tokEmb;                              // (V, dim)
    std::vector<ar::Mat> attnNorm, ffnNorm;      // (1, dim)
    std::vector<ar::Mat> wq, wk, wv, wo;         // (dim, dim), (kvDim, dim), (kvDim, dim), (dim, dim)
    std::vector<ar::Mat> w1, w2, w3;             // (hidden, dim), (dim, hidden), (hidden, dim)
    ar::Mat norm;                                // (1, dim)
    ar::Mat cls;                                 // (V, dim) when not shared
};

inline LlamaWeights randomLlama(const LlamaShape& s, uint64_t seed, float std = 0.2f) {
    ar::Rng rng(seed);
    const auto r = [&](int rows, int cols, float sd, float mean = 0.0f) {
        ar::Mat m(rows, cols);
        for (ar::Index i = 0; i < m.size(); ++i) m.data()[i] = mean + float(rng.normal(0.0, sd));
        return m;
    };
    LlamaWeights w;
    w.tokEmb = r(s.vocab, s.dim, 1.0f);
    for (int l = 0; l < s.layers; ++l) {
        w.attnNorm.push_back(r(1, s.dim, 0.1f, 1.0f));
        w.ffnNorm.push_back(r(1, s.dim, 0.1f, 1.0f));
        w.wq.push_back(r(s.dim, s.dim, std));
        w.wk.push_back(r(s.kvDim(), s.dim, std));
        w.wv.push_back(r(s.kvDim(), s.dim, std));
        w.wo.push_back(r(s.dim, s.dim, std));
        w.w1.push_back(r(s.hidden, s.dim, std));
        w.w2.push_back(r(s.dim, s.hidden, std));
        w.w3.push_back(r(s.hidden, s.dim, std));
    }
    w.norm = r(1, s.dim, 0.1f, 1.0f);
    if (!s.shared) w.cls = r(s.vocab, s.dim, std);
    return w;
}

inline void putI32(std::string& out, int32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
inline void putMats(std::string& out, const std::vector<ar::Mat>& ms) {
    for (const auto& m : ms) out.append(reinterpret_cast<const char*>(m.data()), size_t(m.size()) * 4);
}

// Legacy: Config {dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size (negative: unshared), seq_len},
// then token_embedding, rms_att (all layers), wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final,
// freq_cis_real and freq_cis_imag (seq_len * head_size / 2 each; unused), then wcls when unshared.
// wq, wk, wv, wo (each over all layers): the attention's matrices, in the order both versions write them.
inline void putAttentionMats(std::string& out, const LlamaWeights& w) {
    for (const std::vector<ar::Mat>* m : {&w.wq, &w.wk, &w.wv, &w.wo}) putMats(out, *m);
}
// w1, w2, w3 (each over all layers): the SwiGLU feed-forward's matrices.
inline void putFeedForwardMats(std::string& out, const LlamaWeights& w) {
    for (const std::vector<ar::Mat>* m : {&w.w1, &w.w2, &w.w3}) putMats(out, *m);
}

inline std::string llamaLegacyBytes(const LlamaShape& s, const LlamaWeights& w) {
    std::string out;
    for (int v : {s.dim, s.hidden, s.layers, s.heads, s.kvHeads, s.shared ? s.vocab : -s.vocab, s.seqLen}) putI32(out, v);
    putMats(out, {w.tokEmb});
    putMats(out, w.attnNorm);
    putAttentionMats(out, w);
    putMats(out, w.ffnNorm);
    putFeedForwardMats(out, w);
    putMats(out, {w.norm});
    out.append(size_t(s.seqLen) * size_t(s.headSize() / 2) * 4 * 2, '\x7f');  // freq_cis: skipped by readers
    if (!s.shared) putMats(out, {w.cls});
    return out;
}

// Version 1 (export.py version1_export): uint32 magic 0x616b3432 "ak42", int32 version 1, 7 int32 params
// (vocab_size positive), uint8 shared_classifier, zero padding to 256 bytes; then rms_att (all layers),
// rms_ffn (all layers), rms_final, token_embedding, wq, wk, wv, wo, w1, w2, w3, then wcls when unshared.
inline std::string llamaV1Bytes(const LlamaShape& s, const LlamaWeights& w) {
    std::string out;
    const uint32_t magic = 0x616b3432;
    out.append(reinterpret_cast<const char*>(&magic), 4);
    putI32(out, 1);
    for (int v : {s.dim, s.hidden, s.layers, s.heads, s.kvHeads, s.vocab, s.seqLen}) putI32(out, v);
    out += char(s.shared ? 1 : 0);
    out.resize(256, '\0');
    putMats(out, w.attnNorm);
    putMats(out, w.ffnNorm);
    putMats(out, {w.norm});
    putMats(out, {w.tokEmb});
    putAttentionMats(out, w);
    putFeedForwardMats(out, w);
    if (!s.shared) putMats(out, {w.cls});
    return out;
}

// A tokenizer.bin of V >= 259 tokens: <unk>, BOS, EOS, the 256 byte tokens, then pieces made of "ab c"
// (single characters first, then longer ones) with scores that prefer longer pieces.
inline std::string llamaTokenizerBin(int V) {
    std::vector<std::string> pieces = {"<unk>", "\n<s>\n", "\n</s>\n"};
    for (int b = 0; b < 256; ++b) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", b);
        pieces.push_back(buf);
    }
    const std::string letters = " abcdefghijklmnopqrstuvwxyz.,";
    std::vector<std::string> extra;
    for (char c : letters) extra.push_back(std::string(1, c));
    for (size_t len = 2; len <= 64 && extra.size() < size_t(V); ++len)  // 2,045 pieces at most
        for (size_t i = 0; i + len <= 64 && extra.size() < size_t(V); ++i) {
            std::string p;
            for (size_t k = 0; k < len; ++k) p += letters[(i * 7 + k * 3 + len) % letters.size()];
            extra.push_back(p);
        }
    // larger vocabularies (stories15M's 32000): one letter each, made unique by the index appended below
    for (size_t i = 0; extra.size() < size_t(V); ++i) extra.push_back(std::string(1, letters[i % letters.size()]));
    for (size_t i = 0; pieces.size() < size_t(V); ++i) pieces.push_back(extra[i] + (i >= letters.size() ? std::to_string(i) : ""));
    int32_t maxLen = 1;
    for (const auto& p : pieces) maxLen = std::max<int32_t>(maxLen, int32_t(p.size()));
    std::string out;
    putI32(out, maxLen);
    for (size_t i = 0; i < pieces.size(); ++i) {
        const float score = i < 259 ? 0.0f : -float(i) / 1000.0f + float(pieces[i].size());
        out.append(reinterpret_cast<const char*>(&score), 4);
        putI32(out, int32_t(pieces[i].size()));
        out += pieces[i];
    }
    return out;
}

}  // namespace realfiles
