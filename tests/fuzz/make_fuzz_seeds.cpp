// Writes the seed corpora of the fuzz targets (tests/fuzz/corpus/<target>/): small valid files of every kind
// and the hostile cases the unit tests use. Deterministic: the committed files are its output.
//   build-asan/tests/fuzz/make_fuzz_seeds tests/fuzz/corpus
#include "core/data/tokenizer.h"
#include "core/io/png.h"
#include "core/io/safetensors.h"
#include "core/io/sessionfile.h"
#include "core/models/charrnn.h"
#include "core/models/imagemodel.h"
#include "core/models/seq2seq.h"
#include "core/models/tinygpt.h"
#include "core/random.h"
#include "realmodelfiles.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace ar;

namespace {

fs::path g_root;

void put(const std::string& target, const std::string& name, const std::string& bytes) {
    const fs::path dir = g_root / target;
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string u32be(uint32_t v) { return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)}; }
std::string u64le(uint64_t v) {
    std::string s;
    for (int i = 0; i < 8; ++i) s.push_back(char((v >> (8 * i)) & 0xFF));
    return s;
}
std::string rawSafetensors(const std::string& header, size_t dataBytes) { return u64le(header.size()) + header + std::string(dataBytes, '\0'); }

std::string idx(uint8_t dims, const std::vector<uint32_t>& shape, size_t dataBytes) {
    std::string s{char(0), char(0), char(8), char(dims)};
    for (uint32_t d : shape) s += u32be(d);
    for (size_t i = 0; i < dataBytes; ++i) s.push_back(char(i * 37));
    return s;
}

Tokenizer words() { return Tokenizer(Tokenizer::Kind::Word, {".", "the", "cat", "sees", "a"}); }
Tokenizer chars() { return Tokenizer(Tokenizer::Kind::Char, {"\n", "a", "b", "你", "好"}); }

void models() {
    const fs::path tmp = fs::temp_directory_path() / "arlab-fuzz-seed.safetensors";
    auto addFile = [&](const std::string& name, const SafeTensors& f) {
        const std::string bytes = serializeSafetensors(f);
        put("fuzz_model", name + ".safetensors", bytes);
        put("fuzz_safetensors", name + ".safetensors", bytes);
    };
    TinyGptConfig g;
    g.contextLength = 8, g.layers = 1, g.heads = 2, g.embd = 8, g.bos = 0, g.eos = 0;
    addFile("tinygpt", TinyGpt(g, words(), 1).toSafetensors());
    g.pos = PositionMode::Rope;
    addFile("tinygpt-rope", TinyGpt(g, words(), 2).toSafetensors());
    for (const char* cell : {"rnn", "lstm", "gru"}) {
        CharRnnConfig c;
        c.cell = nn::parseCellType(cell);
        c.vocabSize = 5, c.embd = 4, c.hidden = 6, c.layers = 1, c.bos = 0, c.eos = 0;
        Rng rng(3);
        saveCharRnn(CharRnn(c, chars(), rng), tmp.string());
        addFile(cell, readSafetensors(tmp.string()));
    }
    {
        Seq2SeqConfig c;
        c.srcVocab = 3, c.tgtVocab = 4, c.embd = 4, c.hidden = 6;
        Rng rng(4);
        saveSeq2Seq(Seq2Seq(c, Tokenizer(Tokenizer::Kind::Word, {"<unk>", "我", "你"}),
                            Tokenizer(Tokenizer::Kind::Word, {"<s>", "</s>", "I", "you"}), rng),
                    tmp.string());
        addFile("seq2seq", readSafetensors(tmp.string()));
    }
    const char* pc = R"({"channels":4,"classes":0,"first_kernel":3,"height":4,"kernel":3,"layers":1,"positions":true,"width":4})";
    const char* pcc = R"({"channels":4,"classes":2,"first_kernel":3,"height":4,"kernel":3,"layers":1,"positions":false,"width":5})";
    const char* made = R"({"height":4,"hidden":[8],"mask_seed":1,"masks":2,"order":"natural","width":4})";
    addFile("pixelcnn", toSafetensors(*makeImageModel("pixelcnn", pc, 5)));
    addFile("pixelcnn-classes", toSafetensors(*makeImageModel("pixelcnn", pcc, 6)));
    addFile("gatedpixelcnn", toSafetensors(*makeImageModel("gatedpixelcnn", pc, 7)));
    addFile("made", toSafetensors(*makeImageModel("made", made, 8)));
    fs::remove(tmp);

    // each config reader: kind byte (see fuzz_modelconfig.cpp) + JSON, valid and hostile
    auto cfg = [](int kind, const std::string& name, const std::string& json) {
        put("fuzz_modelconfig", name, std::string(1, char(kind)) + json);
    };
    cfg(0, "tinygpt", g.toJson());
    cfg(0, "tinygpt-huge", R"({"bias":true,"block_size":4096,"bos":0,"dropout":0.0,"eos":0,"n_embd":4096,"n_head":4,"n_layer":48,"pos":"learned","vocab_size":32})");
    cfg(0, "tinygpt-pos", R"({"n_embd":8,"n_head":3,"n_layer":1,"block_size":8,"vocab_size":5,"pos":"alibi"})");
    cfg(2, "lstm", R"({"bos":0,"cell":"lstm","embd":32,"eos":0,"hidden":128,"layers":1,"vocab_size":26})");
    cfg(1, "rnn-layers", R"({"cell":"rnn","embd":4,"hidden":6,"layers":3,"vocab_size":5})");
    cfg(3, "gru-negative", R"({"cell":"gru","embd":-4,"hidden":6,"layers":1,"vocab_size":5})");
    cfg(4, "seq2seq", R"({"attention":"luong-dot","bridge":false,"embd":48,"hidden":96,"input_feed":true,"src_vocab_size":47,"tgt_vocab_size":77})");
    cfg(4, "seq2seq-bogus", R"({"attention":"bogus","bridge":false,"embd":48,"hidden":96,"input_feed":true,"src_vocab_size":47,"tgt_vocab_size":77})");
    cfg(5, "pixelcnn", pc);
    cfg(5, "pixelcnn-layers", R"({"channels":16,"classes":0,"first_kernel":7,"height":28,"kernel":3,"layers":100000000,"positions":true,"width":28})");
    cfg(5, "pixelcnn-46341", R"({"channels":1,"classes":0,"first_kernel":3,"height":46341,"kernel":3,"layers":1,"width":46341})");
    cfg(6, "gatedpixelcnn", pcc);
    cfg(7, "made", made);
    cfg(7, "made-masks", R"({"height":4,"hidden":[8],"mask_seed":1,"masks":1000000000,"order":"natural","width":4})");
    cfg(7, "made-order", R"({"height":4,"hidden":[8],"mask_seed":1,"masks":2,"order":"random","width":4})");
    cfg(7, "made-1000", R"({"height":1000,"hidden":[1000],"mask_seed":1,"masks":1,"order":"natural","width":1000})");
}

void safetensors() {
    SafeTensors f;
    f.metadata["arlab.kind"] = "tinygpt";
    f.metadata["note"] = "plain text";
    f.tensors.push_back({"fc.weight", {2, 3}, {1, 2, 3, 4, 5, 6}});
    f.tensors.push_back({"fc.bias", {2}, {0.5f, -0.5f}});
    f.tensors.push_back({"empty", {0, 3}, {}});
    const std::string good = serializeSafetensors(f);
    put("fuzz_safetensors", "small", good);
    put("fuzz_safetensors", "truncated", good.substr(0, good.size() - 5));
    put("fuzz_safetensors", "short", "abc");
    put("fuzz_safetensors", "overlap", rawSafetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12));
    put("fuzz_safetensors", "f16", rawSafetensors(R"({"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}})", 6));
    put("fuzz_safetensors", "bf16", rawSafetensors(R"({"h":{"dtype":"BF16","shape":[2,1],"data_offsets":[0,4]}})", 4));
    put("fuzz_safetensors", "metadata-number", rawSafetensors(R"({"__metadata__":{"a":1}})", 0));
    put("fuzz_safetensors", "huge-length", u64le(uint64_t(1) << 62) + "{}");
    put("fuzz_safetensors", "nested", rawSafetensors("{\"w\":" + std::string(64, '[') + std::string(64, ']') + "}", 0));
}

// A PNG whose image data is zlib "stored" blocks (no compression; filter 0 on every row), assembled here with
// zlib's compress2 at level 0 and crc32: the other path through the decoder's inflate than encodePng's output.
std::string storedPng(const PngImage& img) {
    std::string raw;
    const size_t row = size_t(img.width) * size_t(img.channels);
    for (int y = 0; y < img.height; ++y) {
        raw.push_back('\0');
        raw.append(reinterpret_cast<const char*>(img.pixels.data()) + size_t(y) * row, row);
    }
    std::string z(compressBound(uLong(raw.size())), '\0');
    uLongf zlen = uLongf(z.size());
    compress2(reinterpret_cast<Bytef*>(z.data()), &zlen, reinterpret_cast<const Bytef*>(raw.data()), uLong(raw.size()), 0);
    z.resize(zlen);
    const auto chunk = [](const std::string& type, const std::string& data) {
        const std::string body = type + data;
        return u32be(uint32_t(data.size())) + body + u32be(uint32_t(crc32(0, reinterpret_cast<const Bytef*>(body.data()), uInt(body.size()))));
    };
    static const char colourType[] = {0, 0, 4, 2, 6};   // by channels: grey, grey+alpha, RGB, RGBA
    const std::string ihdr = u32be(uint32_t(img.width)) + u32be(uint32_t(img.height)) + std::string{8, colourType[img.channels], 0, 0, 0};
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", "");
}

void png() {
    for (int channels : {1, 3, 4}) {
        PngImage img;
        img.width = 5, img.height = 3, img.channels = channels;
        for (int i = 0; i < 5 * 3 * channels; ++i) img.pixels.push_back(uint8_t(i * 29));
        put("fuzz_png", "stored-" + std::to_string(channels), storedPng(img));
        put("fuzz_png", "deflate-" + std::to_string(channels), encodePng(img));   // the writer's own output
    }
    PngImage img;
    img.width = 2, img.height = 2, img.channels = 1, img.pixels = {0, 255, 128, 7};
    const std::string good = storedPng(img);
    put("fuzz_png", "truncated", good.substr(0, good.size() - 20));
    put("fuzz_png", "ihdr-only", std::string("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16));
    put("fuzz_png", "not-png", "GIF89a....");
}

void idxFiles() {
    put("fuzz_idx", "images", idx(3, {2, 3, 3}, 18));
    put("fuzz_idx", "labels", idx(1, {4}, 4));
    put("fuzz_idx", "empty", "");
    put("fuzz_idx", "bad-magic", "\x12\x34" + idx(3, {1, 2, 2}, 4).substr(2));
    put("fuzz_idx", "gzip-magic", "\x1f\x8b" + idx(3, {1, 2, 2}, 4).substr(2));
    put("fuzz_idx", "truncated", idx(3, {4, 3, 3}, 31));
    put("fuzz_idx", "zero-dim", idx(3, {0, 3, 3}, 0));
    put("fuzz_idx", "huge-dims", idx(3, {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, 8));
    // a pair for the dataset path: first byte splits images | labels
    const std::string images = idx(3, {2, 2, 2}, 8), labels = idx(1, {2}, 2);
    put("fuzz_idx", "pair", std::string(1, char(255 * images.size() / (images.size() + labels.size()))) + images + labels);
}

void text() {
    put("fuzz_text", "toy", "the cat sees a dog . some birds sleep .\n");
    put("fuzz_text", "chinese", "你好\ncat\ncats\n你好\n");
    put("fuzz_text", "invalid-utf8", "abc\ndef\n\xFFghi\n");
    put("fuzz_text", "overlong", "a\xC0\xAF" "b");
    put("fuzz_text", "tokenizer-char", chars().toJson());
    put("fuzz_text", "tokenizer-word", words().toJson());
    put("fuzz_text", "tokenizer-duplicate", R"({"kind":"word","vocab":["a","a"]})");
    put("fuzz_text", "tokenizer-kind", R"({"kind":"bpe","vocab":["a"]})");
    put("fuzz_text", "tokenizer-multichar", R"({"kind":"char","vocab":["ab"]})");
}

// fuzz_realmodels: the first byte picks the reader (0 vocab.json NUL merges.txt, 1 tokenizer.json,
// 2 tokenizer.bin after a 2-byte vocabulary size, 3 a llama2.c checkpoint).
void realModels() {
    const realfiles::Gpt2TokenizerFiles g = realfiles::gpt2TokenizerFiles(), gp = realfiles::gpt2TokenizerFiles(true);
    put("fuzz_realmodels", "gpt2-vocab-merges", std::string(1, '\0') + g.vocabJson + std::string(1, '\0') + g.mergesTxt);
    put("fuzz_realmodels", "gpt2-merge-unknown", std::string(1, '\0') + g.vocabJson + std::string(1, '\0') + "#version: 0.2\nzz q\n");
    put("fuzz_realmodels", "gpt2-tokenizer-json", std::string(1, '\1') + g.tokenizerJson);
    put("fuzz_realmodels", "gpt2-tokenizer-json-pairs", std::string(1, '\1') + gp.tokenizerJson);
    const int V = 300;
    const std::string bin = realfiles::llamaTokenizerBin(V);
    put("fuzz_realmodels", "llama-tokenizer", std::string{'\2', char(V & 0xFF), char(V >> 8)} + bin);
    put("fuzz_realmodels", "llama-tokenizer-truncated", std::string{'\2', char(V & 0xFF), char(V >> 8)} + bin.substr(0, bin.size() / 2));
    realfiles::LlamaShape shape;
    shape.dim = 8, shape.hidden = 16, shape.layers = 1, shape.heads = 2, shape.kvHeads = 1, shape.vocab = 260, shape.seqLen = 8;
    const realfiles::LlamaWeights w = realfiles::randomLlama(shape, 7);
    put("fuzz_realmodels", "llama-legacy", std::string(1, '\3') + realfiles::llamaLegacyBytes(shape, w));
    put("fuzz_realmodels", "llama-v1", std::string(1, '\3') + realfiles::llamaV1Bytes(shape, w));
    shape.shared = false;
    put("fuzz_realmodels", "llama-legacy-unshared", std::string(1, '\3') + realfiles::llamaLegacyBytes(shape, realfiles::randomLlama(shape, 8)));
    std::string negative = realfiles::llamaLegacyBytes(shape, w).substr(0, 28);
    negative[0] = '\xff', negative[1] = '\xff', negative[2] = '\xff', negative[3] = '\xff';
    put("fuzz_realmodels", "llama-negative-dim", std::string(1, '\3') + negative);
}


// fuzz_session: a session with a branch tree and a quiz, and the hostile cases tst_core_sessionfile uses.
void sessions() {
    SessionData d;
    d.app = "seed";
    d.lesson = "transformer";
    d.modelPath = "/models/m.safetensors";
    d.modelSha256 = std::string(64, 'a');
    d.prompt = "w1 w2";
    d.history = {{-1, 3, false}, {0, 4, false}, {1, 5, true}, {0, 6, false}};
    d.current = 2;
    d.layout = "AAAA/w==";
    d.hasQuiz = true;
    d.quizLength = 3;
    const std::vector<double> p{0.5, 0.25, 0.25}, truth{0.5, 0.5, 0};
    d.quizSteps.push_back(scoreQuizStep(QuizGuess{{{0, 30}, {2, 70}}}, p, truth, 1, 3));
    const std::string valid = writeSession(d);
    put("fuzz_session", "valid", valid);
    put("fuzz_session", "truncated", valid.substr(0, valid.size() / 2));
    put("fuzz_session", "newer", R"({"format": "arlab-session", "version": 2})");
    put("fuzz_session", "forward-parent", R"({"format": "arlab-session", "version": 1, "lesson": "t", "history": [{"parent": 3, "token": 1}]})");
    put("fuzz_session", "huge-version", R"({"format": "arlab-session", "version": 18446744073709551615})");
    put("fuzz_session", "number-overflow", R"({"format": "arlab-session", "version": 1, "lesson": "t", "prompt": 1E400})");   // found by fuzzing
    put("fuzz_session", "unknown-key", R"({"format": "arlab-session", "version": 1, "lesson": "t", "colour": 1})");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_fuzz_seeds CORPUS_DIR\n");
        return 2;
    }
    g_root = argv[1];
    models();
    safetensors();
    png();
    idxFiles();
    text();
    realModels();
    sessions();
    return 0;
}
