#pragma once
// Reading and writing a translator file, shared by the two translators (Seq2Seq, NatTranslator): both keep a config,
// a source and a target tokenizer, their weights and a provenance (translatorMetadata: the keys both write). The
// keys are read one after the other (a function's arguments have no evaluation order), so a file missing several
// keys names the first:
//   arlab.config -> checkConfig (before anything is allocated) -> arlab.src_tokenizer -> arlab.tokenizer
// Every error of that part is "<label>: ..." (once, also when the message already names the file).
#include "core/data/tokenizer.h"
#include "core/error.h"
#include "core/io/safetensors.h"
#include "core/models/languagemodel.h"
#include "core/random.h"

#include <functional>
#include <memory>
#include <string>

namespace ar {

inline Metadata translatorMetadata(const std::string& kind, const std::string& config, const Tokenizer& tgt,
                                   const Tokenizer& src, const std::string& provenance) {
    return {{"arlab.kind", kind}, {"arlab.config", config}, {"arlab.tokenizer", tgt.toJson()},
            {"arlab.src_tokenizer", src.toJson()}, {"arlab.provenance", provenance}};
}

template <class Model, class Config>
std::unique_ptr<Model> loadTranslatorFile(const SafeTensors& file, const std::string& label,
                                          const std::function<void(const Config&)>& checkConfig = {}) {
    std::unique_ptr<Model> m;
    try {
        const Config cfg = Config::fromJson(file.requireMetadata("arlab.config", label));
        if (checkConfig) checkConfig(cfg);
        Rng shapesOnly = Rng::forLoading();
        Tokenizer src = Tokenizer::fromJson(file.requireMetadata("arlab.src_tokenizer", label));
        Tokenizer tgt = Tokenizer::fromJson(file.requireMetadata("arlab.tokenizer", label));
        m = std::make_unique<Model>(cfg, std::move(src), std::move(tgt), shapesOnly);
    } catch (const Error& e) {
        const std::string msg = e.what();
        if (msg.rfind(label, 0) == 0) throw;
        throw Error(label + ": " + msg);
    }
    loadParams(file, m->parameters(), label);
    m->provenanceJson = file.provenance();
    return m;
}

}  // namespace ar
