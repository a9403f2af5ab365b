#include "core/data/zhencorpus.h"

#include "core/random.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace ar {

namespace {

struct Pronoun { const char* zh; const char* subj; const char* obj; bool third; };
const Pronoun kPronouns[] = {
    {"我", "I", "me", false},    {"你", "you", "you", false},   {"他", "he", "him", true},
    {"她", "she", "her", true},  {"我们", "we", "us", false},   {"他们", "they", "them", false},
};

struct Noun { const char* zh; const char* sg; const char* pl; const char* measure; const char* unitSg; const char* unitPl; };
// Count nouns: measure word untranslated, plural noun. Mass nouns (unit given): "two cups of tea".
const Noun kNouns[] = {
    {"苹果", "apple", "apples", "个", "", ""},  {"香蕉", "banana", "bananas", "个", "", ""},
    {"米饭", "rice", "rice", "碗", "bowl", "bowls"}, {"书", "book", "books", "本", "", ""},
    {"笔", "pen", "pens", "支", "", ""},       {"车", "car", "cars", "辆", "", ""},
    {"猫", "cat", "cats", "只", "", ""},       {"狗", "dog", "dogs", "只", "", ""},
    {"朋友", "friend", "friends", "个", "", ""}, {"信", "letter", "letters", "封", "", ""},
    {"水", "water", "water", "杯", "cup", "cups"}, {"茶", "tea", "tea", "杯", "cup", "cups"},
    {"牛奶", "milk", "milk", "杯", "cup", "cups"}, {"咖啡", "coffee", "coffee", "杯", "cup", "cups"},
};
const Noun* noun(const std::string& zh) {
    for (const Noun& n : kNouns)
        if (zh == n.zh) return &n;
    return nullptr;
}

struct Verb { const char* zh; const char* base; const char* third; const char* past; std::vector<std::string> objects; bool numbers; bool pronouns; };
const std::vector<Verb>& verbs() {
    static const std::vector<Verb> v = {
        {"吃", "eat", "eats", "ate", {"苹果", "香蕉", "米饭"}, true, false},
        {"喝", "drink", "drinks", "drank", {"水", "茶", "牛奶", "咖啡"}, true, false},
        {"买", "buy", "buys", "bought", {"书", "笔", "车", "苹果", "猫"}, true, false},
        {"看", "see", "sees", "saw", {"猫", "狗", "朋友"}, true, true},
        {"爱", "love", "loves", "loved", {"猫", "狗"}, false, true},
        {"喜欢", "like", "likes", "liked", {"猫", "狗", "茶", "咖啡", "书", "苹果"}, false, false},
        {"写", "write", "writes", "wrote", {"信", "书"}, true, false},
    };
    return v;
}

struct Number { const char* zh; const char* en; };
const Number kNumbers[] = {{"一", "a"}, {"两", "two"}, {"三", "three"}, {"四", "four"}, {"五", "five"}};

enum class Tense { Present, Past, Future };
enum class Mode { Statement, Negative, Question };

// The object phrase: either a pronoun, or [number measure] noun.
struct Object { std::string pronounZh, pronounEn; const Noun* noun = nullptr; int number = -1; };

struct Builder {
    ZhEnPair p;
    int zh(const std::string& w) { p.src.push_back(w); return int(p.src.size()) - 1; }
    void en(const std::string& w, std::vector<int> a) { p.tgt.push_back(w); p.align.push_back(std::move(a)); }
};

ZhEnPair make(const Pronoun& s, const Verb& v, const Object& o, Tense tense, Mode mode, bool withTime) {
    Builder b;
    const int iS = b.zh(s.zh);
    const char* timeZh = tense == Tense::Past ? "昨天" : tense == Tense::Future ? "明天" : "今天";
    const char* timeEn = tense == Tense::Past ? "yesterday" : tense == Tense::Future ? "tomorrow" : "today";
    const int iT = withTime ? b.zh(timeZh) : -1;
    int iNeg = -1;
    if (mode == Mode::Negative) iNeg = b.zh(tense == Tense::Past ? "没" : "不");
    const int iV = b.zh(v.zh);
    int iLe = -1;
    if (tense == Tense::Past && mode != Mode::Negative) iLe = b.zh("了");
    int iNum = -1, iMeasure = -1, iO = -1;
    if (o.noun) {
        if (o.number >= 0) {
            iNum = b.zh(kNumbers[o.number].zh);
            iMeasure = b.zh(o.noun->measure);
        }
        iO = b.zh(o.noun->zh);
    } else {
        iO = b.zh(o.pronounZh);
    }
    const int iQ = mode == Mode::Question ? b.zh("吗") : -1;

    auto opt = [](int i) { return i >= 0 ? std::vector<int>{i} : std::vector<int>{}; };
    auto both = [](int i, int j) {
        std::vector<int> a;
        if (i >= 0) a.push_back(i);
        if (j >= 0) a.push_back(j);
        return a;
    };
    // auxiliary and verb form
    const bool third = s.third;
    const std::string subj = s.subj;
    auto emitObject = [&]() {
        if (!o.noun) { b.en(o.pronounEn, {iO}); return; }
        const Noun& n = *o.noun;
        const bool mass = n.unitSg[0] != '\0';
        if (o.number < 0) { b.en(mass ? n.sg : n.pl, {iO}); return; }
        std::string num = kNumbers[o.number].en;
        if (o.number == 0 && !mass && (n.sg[0] == 'a' || n.sg[0] == 'e' || n.sg[0] == 'i' || n.sg[0] == 'o')) num = "an";
        b.en(num, {iNum});
        if (mass) {
            b.en(o.number == 0 ? n.unitSg : n.unitPl, {iMeasure});
            b.en("of", {});
            b.en(n.sg, {iO});
        } else {
            b.en(o.number == 0 ? n.sg : n.pl, {iO});
        }
    };
    auto emitTime = [&]() { if (withTime) b.en(timeEn, {iT}); };
    const char* doAux = third ? "does" : "do";
    if (mode == Mode::Question) {
        if (tense == Tense::Present) b.en(doAux, {iQ});
        else if (tense == Tense::Past) b.en("did", both(iQ, iLe));
        else b.en("will", both(iQ, iT));
        b.en(subj, {iS});
        b.en(v.base, {iV});
        emitObject();
        emitTime();
        b.en("?", {iQ});
    } else {
        b.en(subj, {iS});
        if (mode == Mode::Negative) {
            if (tense == Tense::Present) b.en(doAux, {iNeg});
            else if (tense == Tense::Past) b.en("did", {iNeg});
            else b.en("will", opt(iT));
            b.en("not", {iNeg});
            b.en(v.base, {iV});
        } else if (tense == Tense::Future) {
            b.en("will", opt(iT));
            b.en(v.base, {iV});
        } else if (tense == Tense::Past) {
            b.en(v.past, both(iV, iLe));
        } else {
            b.en(third ? v.third : v.base, {iV});
        }
        emitObject();
        emitTime();
    }
    static const char* tenseName[] = {"present", "past", "future"};
    static const char* modeName[] = {"statement", "negative", "question"};
    b.p.form = std::string(tenseName[int(tense)]) + " " + modeName[int(mode)];
    return b.p;
}

std::string join(const std::vector<std::string>& w) {
    std::string s;
    for (size_t i = 0; i < w.size(); ++i) s += (i ? " " : "") + w[i];
    return s;
}

// The (subject, verb, object) triple a sentence belongs to, as a string key.
std::string tripleKey(const ZhEnPair& p, const std::string& subj, const std::string& verb, const std::string& obj) {
    (void)p;
    return subj + "|" + verb + "|" + obj;
}

}  // namespace

std::string ZhEnPair::srcText() const { return join(src); }
std::string ZhEnPair::tgtText() const { return join(tgt); }

std::vector<ZhEnPair> allZhEnPairs() { 
    std::vector<ZhEnPair> out;
    for (const Pronoun& s : kPronouns)
        for (const Verb& v : verbs()) {
            std::vector<Object> objects;
            for (const std::string& zh : v.objects) {
                const Noun* n = noun(zh);
                objects.push_back({"", "", n, -1});
                if (v.numbers)
                    for (int k = 0; k < 5; ++k) objects.push_back({"", "", n, k});
            }
            if (v.pronouns)
                for (const Pronoun& o : kPronouns)
                    if (std::string(o.zh) != s.zh) objects.push_back({o.zh, o.obj, nullptr, -1});
            for (const Object& o : objects)
                for (Mode mode : {Mode::Statement, Mode::Negative, Mode::Question})
                    for (Tense tense : {Tense::Present, Tense::Past, Tense::Future}) {
                        if (tense != Tense::Future) out.push_back(make(s, v, o, tense, mode, false));
                        out.push_back(make(s, v, o, tense, mode, true));
                    }
        }
    return out;
}

ZhEnCorpus makeZhEnCorpus(uint64_t seed) {
    ZhEnCorpus c;
    std::vector<ZhEnPair> all = allZhEnPairs();
    // triple of each sentence: subject = src[0], verb = the verb word, object = the last noun/pronoun
    std::set<std::string> verbSet, objSet;
    for (const Verb& v : verbs()) verbSet.insert(v.zh);
    for (const Noun& n : kNouns) objSet.insert(n.zh);
    for (const Pronoun& p : kPronouns) objSet.insert(p.zh);
    std::vector<std::string> keys;
    std::map<std::string, int> keyIndex;
    std::vector<int> keyOf(all.size());
    for (size_t i = 0; i < all.size(); ++i) {
        const ZhEnPair& p = all[i];
        std::string verb, obj;
        for (size_t k = 1; k < p.src.size(); ++k) {
            if (verb.empty() && verbSet.count(p.src[k])) verb = p.src[k];
            else if (!verb.empty() && objSet.count(p.src[k])) obj = p.src[k];
        }
        const std::string key = tripleKey(p, p.src[0], verb, obj);
        auto [it, fresh] = keyIndex.emplace(key, int(keys.size()));
        if (fresh) keys.push_back(key);
        keyOf[i] = it->second;
    }
    std::vector<int> order(keys.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    Rng rng(seed);
    rng.shuffle(order);
    const size_t nTest = keys.size() / 10, nValid = keys.size() / 20;
    std::vector<int> split(keys.size(), 0);  // 0 train, 1 valid, 2 test
    for (size_t i = 0; i < order.size(); ++i) split[size_t(order[i])] = i < nTest ? 2 : i < nTest + nValid ? 1 : 0;
    std::set<std::string> sw, tw;
    for (size_t i = 0; i < all.size(); ++i) {
        for (const auto& w : all[i].src) sw.insert(w);
        for (const auto& w : all[i].tgt) tw.insert(w);
        const int s = split[size_t(keyOf[i])];
        (s == 0 ? c.train : s == 1 ? c.valid : c.test).push_back(std::move(all[i]));
    }
    rng.shuffle(c.train);
    c.srcWords.assign(sw.begin(), sw.end());
    c.tgtWords.assign(tw.begin(), tw.end());
    return c;
}

std::string zhGloss(const std::string& zh) {
    for (const Pronoun& p : kPronouns) if (zh == p.zh) return p.subj;
    for (const Noun& n : kNouns) if (zh == n.zh) return n.sg;
    for (const Verb& v : verbs()) if (zh == v.zh) return v.base;
    for (const Number& n : kNumbers) if (zh == n.zh) return n.zh == std::string("一") ? "one" : n.en;
    static const std::map<std::string, std::string> other = {
        {"昨天", "yesterday"}, {"今天", "today"}, {"明天", "tomorrow"}, {"不", "not"}, {"没", "not (past)"},
        {"了", "(completed)"}, {"吗", "(question)"}, {"个", "(measure)"}, {"本", "(measure: volume)"},
        {"支", "(measure: stick)"}, {"辆", "(measure: vehicle)"}, {"只", "(measure: animal)"},
        {"封", "(measure: letter)"}, {"杯", "cup"}, {"碗", "bowl"}};
    auto it = other.find(zh);
    return it == other.end() ? "" : it->second;
}

const ZhEnPair* findPair(const std::vector<ZhEnPair>& pairs, const std::string& srcText) {
    for (const ZhEnPair& p : pairs)
        if (p.srcText() == srcText) return &p;
    return nullptr;
}

}  // namespace ar
