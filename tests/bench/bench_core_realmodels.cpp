// Real-model formats end to end, the way a user runs them: a llama2.c checkpoint of the stories15M shape
// (dim 288, 6 layers, 6 heads, vocab 32000, context 256; random weights, seeded, written here with a
// 32000-token tokenizer.bin) through `arlab-cli generate` as a whole process.
//   cost per token = (time of --steps N - time of --steps 1) / (N - 1), greedy, best of 3
// Target (issue 13): >= 375 tokens/s (1.5x llama2.c's run.c built with gcc -Ofast, ~250 tok/s on one
// thread here). Also: opening the model and the first token (--steps 1), and tokenizing a long text.
//
// Usage: bench_core_realmodels [path/to/arlab-cli] [N] [keep]   (default: ../../app/arlab-cli next to this binary;
// keep: leave the checkpoint in /tmp/arlab-bench-stories15m for a profiler or another program)
#include "tests/realmodelfiles.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <sys/resource.h>

namespace fs = std::filesystem;

namespace {
double childCpuSeconds() {  // user + system time of every finished child so far
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}
struct Time {
    double wall = 1e30, cpu = 1e30;  // best of 3 each: wall clock, and CPU time (what a busy machine cannot hide)
};
Time best3(const std::string& cmd) {
    Time best;
    for (int i = 0; i < 3; ++i) {
        const double c0 = childCpuSeconds();
        const auto t0 = std::chrono::steady_clock::now();
        const int rc = std::system((cmd + " > /dev/null").c_str());
        const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (rc != 0) {
            std::fprintf(stderr, "failed (%d): %s\n", rc, cmd.c_str());
            std::exit(1);
        }
        best.wall = std::min(best.wall, wall);
        best.cpu = std::min(best.cpu, childCpuSeconds() - c0);
    }
    return best;
}
}  // namespace

int main(int argc, char** argv) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    const std::string cli = argc > 1 ? argv[1] : (self.parent_path() / "../../app/arlab-cli").lexically_normal().string();
    const int N = argc > 2 ? std::atoi(argv[2]) : 200;
    const fs::path dir = fs::temp_directory_path() / "arlab-bench-stories15m";
    fs::create_directories(dir);

    realfiles::LlamaShape s;
    s.dim = 288;
    s.hidden = 768;
    s.layers = 6;
    s.heads = 6;
    s.kvHeads = 6;
    s.vocab = 32000;
    s.seqLen = 256;
    s.shared = true;
    const std::string model = (dir / "stories15M.bin").string();
    realfiles::writeFile(model, realfiles::llamaLegacyBytes(s, realfiles::randomLlama(s, 15, 0.05f)));
    realfiles::writeFile((dir / "tokenizer.bin").string(), realfiles::llamaTokenizerBin(s.vocab));
    std::printf("stories15M shape (dim 288, L6, H6, V32000, T256), random weights: %s (%.1f MB)\n", model.c_str(),
                double(fs::file_size(model)) / 1e6);

    const std::string gen = cli + " generate " + model + " --prompt 'once upon a time' --temperature 0 --steps ";
    const Time t1 = best3(gen + "1");
    const Time tn = best3(gen + std::to_string(N));
    const double perToken = (tn.wall - t1.wall) / double(N - 1), perTokenCpu = (tn.cpu - t1.cpu) / double(N - 1);
    std::printf("arlab-cli generate (N = %d, best of 3):\n"
                "  wall: start + first token %.1f ms; %.3f ms per token = %.0f tokens/s\n"
                "  cpu:  start + first token %.1f ms; %.3f ms per token = %.0f tokens/s\n",
                N, t1.wall * 1e3, perToken * 1e3, 1.0 / perToken, t1.cpu * 1e3, perTokenCpu * 1e3, 1.0 / perTokenCpu);

    std::string text;
    for (int i = 0; i < 2000; ++i) text += "the quick brown fox jumps over the lazy dog. ";
    const std::string textFile = (dir / "text.txt").string();
    realfiles::writeFile(textFile, text);
    const Time tok = best3(cli + " tokenize " + model + " --text \"$(cat " + textFile + ")\"");
    std::printf("arlab-cli tokenize: %zu bytes in %.1f ms wall, %.1f ms cpu (whole process, tokenizer.bin read included)\n",
                text.size(), tok.wall * 1e3, tok.cpu * 1e3);
    if (!(argc > 3 && std::string(argv[3]) == "keep")) fs::remove_all(dir, ec);
    return 0;
}
