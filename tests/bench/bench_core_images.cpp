// Incremental vs naive sampling of a full 28x28 image for each pretrained image model.
// Naive = one full forward pass per pixel (784 passes); incremental = PixelCNN's per-layer caches / MADE's
// rank-1 updates. Both draw the same image (checked here too). Prints seconds per image and the ratio.
#include "core/models/imagemodel.h"
#include "core/sampling/imagesampler.h"
#include "tests/testpaths.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

using namespace ar;

static double secondsFor(const std::function<void()>& fn, int repeat) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < repeat; ++i) fn();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / repeat;
}

int main() {
    Eigen::setNbThreads(1);
    std::printf("%-16s %14s %14s %9s  %s\n", "model", "naive s/image", "incr. s/image", "speed-up", "same image");
    for (const char* name : {"pixelcnn-digits", "gatedpixelcnn-digits", "made-digits"}) {
        const std::string path = testutil::modelPath(name);
        if (!std::filesystem::exists(path)) {
            std::printf("%-16s missing (%s)\n", name, path.c_str());
            continue;
        }
        std::shared_ptr<const ImageModel> model = loadImageModel(path);
        SampleOptions inc, naive;
        naive.incremental = false;
        ImageSample a, b;
        const double tn = secondsFor([&] { b = sampleImage(model, 7, naive); }, 1);
        const int reps = 20;
        const double ti = secondsFor([&] { a = sampleImage(model, 7, inc); }, reps);
        float maxDiff = 0;
        for (size_t i = 0; i < a.draws.size(); ++i) maxDiff = std::max(maxDiff, std::abs(a.draws[i].p - b.draws[i].p));
        std::printf("%-16s %14.4f %14.5f %8.0fx  %s (max |p diff| %.1e)\n", model->kind().c_str(), tn, ti, tn / ti,
                    a.image == b.image ? "yes" : "NO", double(maxDiff));
    }
    return 0;
}
