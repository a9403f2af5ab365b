// End-to-end decoding speed, the path a user runs: `arlab-cli generate` timed as a whole process on seeded
// random-weight models of nanoGPT shapes (issue #10), plus loading and memory figures.
//
//   build/tests/bench/bench_core_generate [--cli build/app/arlab-cli] [--dir /tmp/arlab-bench] [--steps N]
//                                         [--only NAME] [--kv-tokens N]
//
// For each shape the program writes DIR/NAME.safetensors (TinyGPT's file = nanoGPT's state_dict names, so
// tests/bench/pytorch_generate.py loads the same weights), then times `generate --steps N --temperature 0`
// and `--steps 1`, best of 3 each: cost per token = (t(N) - t(1)) / (N - 1). t(1) of the largest model is its
// load-to-first-token time (file in the page cache: the first run warms it) and the child's peak RSS is
// reported next to the file size. With --kv-tokens N the program also decodes N tokens in process on that
// shape and reports the cache bytes the session holds (DecodingSession::cacheBytes) and its RSS.
// Run it under `nice`: the machine is shared.
#include "core/decoding/decodingsession.h"
#include "core/io/modelfile.h"
#include "core/memory.h"
#include "core/models/tinygpt.h"
#include "tests/testpaths.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace ar;
using Clock = std::chrono::steady_clock;

namespace {

struct Shape {
    const char* name;
    int L, H, C, V, ctx;
};
const Shape kShapes[] = {
    {"toy-L2H4C64V32", 2, 4, 64, 32, 256},
    {"L4H4C128V256", 4, 4, 128, 256, 256},
    {"L2H8C256V1024", 2, 8, 256, 1024, 256},
    {"gpt2-L12H12C768V50257", 12, 12, 768, 50257, 1024},
};

Tokenizer wordTokens(int V) {
    std::vector<std::string> v;
    for (int i = 0; i < V; ++i) v.push_back("t" + std::to_string(i));
    return Tokenizer(Tokenizer::Kind::Word, v);
}

TinyGptConfig configOf(const Shape& s) {
    TinyGptConfig c;
    c.layers = s.L;
    c.heads = s.H;
    c.embd = s.C;
    c.contextLength = s.ctx;
    c.bos = 0;  // generate starts from it (empty prompt)
    return c;
}

struct Run {
    double seconds = 0;
    long maxRssKb = 0;
};

// Runs argv as a child process; wall time and the child's peak RSS. Output goes to /dev/null.
Run runChild(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::fflush(stdout);  // else the child's freopen writes the parent's buffered lines again
    const auto t0 = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(127);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    Run r;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.maxRssKb = ru.ru_maxrss;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "child failed: %s\n", args[0].c_str());
        std::exit(1);
    }
    return r;
}

Run bestOf3(const std::vector<std::string>& args) {
    Run best{1e30, 0};
    for (int i = 0; i < 3; ++i) {
        const Run r = runChild(args);
        if (r.seconds < best.seconds) best = r;
    }
    return best;
}

long selfRssKb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    tuneAllocator();
    std::string cli = testutil::cliPath();
    std::string dir = "/tmp/arlab-bench";
    std::string only;
    int steps = 65, kvTokens = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--cli") cli = v;
        else if (k == "--dir") dir = v;
        else if (k == "--steps") steps = std::stoi(v);
        else if (k == "--only") only = v;
        else if (k == "--kv-tokens") kvTokens = std::stoi(v);
        else {
            std::fprintf(stderr, "unknown option %s\n", k.c_str());
            return 2;
        }
    }
    std::filesystem::create_directories(dir);
    std::printf("%-24s %12s %12s %14s %12s %10s\n", "shape", "t(1) ms", "t(N) ms", "per token us", "file MB", "RSS MB");
    for (const Shape& s : kShapes) {
        if (!only.empty() && only != s.name) continue;
        const std::string path = dir + "/" + s.name + ".safetensors";
        if (!std::filesystem::exists(path)) {  // seeded: the same weights every time
            TinyGpt m(configOf(s), wordTokens(s.V), 1234);
            m.save(path);
        }
        const int n = std::min(steps, s.ctx - 1);
        const std::vector<std::string> base = {cli, "generate", path, "--temperature", "0", "--steps"};
        auto one = base, many = base;
        one.push_back("1");
        many.push_back(std::to_string(n));
        runChild(one);  // warms the page cache
        const Run t1 = bestOf3(one), tn = bestOf3(many);
        const double perToken = (tn.seconds - t1.seconds) / (n - 1);
        const double fileMb = double(std::filesystem::file_size(path)) / 1e6;
        std::printf("%-24s %12.1f %12.1f %14.1f %12.1f %10.1f\n", s.name, t1.seconds * 1e3, tn.seconds * 1e3,
                    perToken * 1e6, fileMb, double(tn.maxRssKb) / 1024.0);
        std::printf("  load + first token: %.3f s, peak RSS %.1f MB (%.2f x the file)\n", t1.seconds,
                    double(t1.maxRssKb) / 1024.0, double(t1.maxRssKb) * 1024.0 / (fileMb * 1e6));
        std::fflush(stdout);
        if (kvTokens > 0 && !only.empty()) {
            std::shared_ptr<const LanguageModel> model = loadLanguageModel(path);
            const long rssModel = selfRssKb();
            SamplerSettings greedy;
            greedy.strategy = DecodeStrategy::Greedy;
            DecodingSession session(model, Tokens{}, greedy, false);
            const int tokens = std::min(kvTokens, s.ctx - 1);
            const auto t0 = Clock::now();
            for (int i = 0; i < tokens && session.canStep(); ++i) session.step();
            const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
            const double oneCache = 2.0 * s.L * s.ctx * s.C * sizeof(float);
            std::printf("  after %d tokens: cache bytes %.1f MB = %.2f full KV caches; RSS %.1f MB (model alone %.1f MB); "
                        "%.1f ms per token in process\n",
                        session.stepCount(), double(session.cacheBytes()) / 1e6, double(session.cacheBytes()) / oneCache,
                        double(selfRssKb()) / 1024.0, double(rssModel) / 1024.0, secs * 1e3 / session.stepCount());
        }
    }
    return 0;
}
