// arlab-cli sample-image / score-image: draw a binary image pixel by pixel, or score every pixel of a PNG.
#include "app/cli/args.h"
#include "app/cli/commands.h"
#include "app/cli/textmodel.h"
#include "core/error.h"
#include "core/io/modelregistry.h"
#include "core/io/png.h"
#include "core/models/imagemodel.h"
#include "core/sampling/imagesampler.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace arcli {

namespace {

std::shared_ptr<const ar::ImageModel> openImageModel(const std::string& nameOrPath) {
    return ar::loadImageModelFile(resolveModelPath(nameOrPath));
}

// A PNG the size of the model, thresholded to 0/1 (luminance >= threshold, alpha over black).
std::vector<uint8_t> readBinaryPng(const std::string& path, const ar::ImageModel& m, int threshold) {
    // The size is checked from the IHDR, before anything is decompressed.
    const ar::PngImage img = ar::readPng(path, [&](int width, int height) {
        if (width != m.width() || height != m.height())
            throw ar::Error("PNG '" + path + "' is " + std::to_string(width) + "x" + std::to_string(height) +
                            ", the model works on " + std::to_string(m.width()) + "x" + std::to_string(m.height()) +
                            " images (width x height)");
    });
    const std::vector<uint8_t> g = ar::toGray(img);
    std::vector<uint8_t> bin(g.size());
    for (size_t i = 0; i < g.size(); ++i) bin[i] = g[i] >= threshold ? 1 : 0;
    return bin;
}

// --label N of a class-conditional model (0..classes-1, default 0); -1 for a model without classes, which refuses
// the option.
int classLabel(const Args& args, const ar::ImageModel& m) {
    if (m.numClasses() > 0) return int(args.integer("label", 0, 0, m.numClasses() - 1));
    if (args.has("label")) throw ar::Error("--label: this model is not class-conditional");
    return -1;
}

nlohmann::json orderJson(const ar::ImageModel& m) {
    nlohmann::json order = nlohmann::json::array();
    for (int idx : m.order()) order.push_back({idx / m.width(), idx % m.width()});
    return order;
}

nlohmann::json gridJson(const std::vector<float>& v, int h, int w, int digits = 6) {
    const double scale = std::pow(10.0, digits);
    nlohmann::json rows = nlohmann::json::array();
    for (int y = 0; y < h; ++y) {
        nlohmann::json r = nlohmann::json::array();
        for (int x = 0; x < w; ++x) r.push_back(std::round(double(v[size_t(y * w + x)]) * scale) / scale);
        rows.push_back(r);
    }
    return rows;
}

}  // namespace

int cmdSampleImage(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"seed", "S", "random seed (default 1): the same seed draws the same image"},
        {"temperature", "T", "divide every logit by T before the sigmoid (default 1)"},
        {"label", "N", "digit label for a class-conditional model"},
        {"given", "FILE.png", "complete this image: its first --keep pixels (in the model's order) stay fixed"},
        {"keep", "N", "how many pixels of --given to keep (default: half of the image)"},
        {"png", "FILE", "write the sample as a PNG (white ink on black)"},
        {"scale", "N", "enlarge the PNG N times (default 1)"},
        {"naive", "", "recompute the whole image for every pixel (slow reference)"},
        {"json", "", "machine-readable output: image, order, per-pixel probabilities, log-probability"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli sample-image MODEL --seed S [--png F] [--json]\n"
                       "MODEL: a .safetensors file or a built-in name (pixelcnn-digits, gatedpixelcnn-digits, made-digits)"))
        return 0;
    auto model = openImageModel(args.model());
    const int P = model->pixels(), H = model->height(), W = model->width();
    ar::SampleOptions o;
    const uint64_t seed = args.seed(1);
    o.temperature = float(args.number("temperature", 1.0, 1e-3, 100.0));
    o.incremental = !args.flag("naive");
    o.label = classLabel(args, *model);
    if (args.has("given")) {
        const auto img = readBinaryPng(args.str("given"), *model, 128);
        const int keep = int(args.integer("keep", P / 2, 0, P));
        o.given.assign(size_t(P), -1);
        const auto order = model->order();
        for (int s = 0; s < keep; ++s) o.given[size_t(order[size_t(s)])] = int8_t(img[size_t(order[size_t(s)])]);
    } else if (args.has("keep")) {
        throw ar::Error("--keep needs --given FILE.png");
    }
    const int scale = int(args.integer("scale", 1, 1, 64));
    const ar::ImageSample s = ar::sampleImage(model, seed, o);
    if (args.has("png")) {
        ar::PngImage png;
        png.width = W * scale;
        png.height = H * scale;
        png.channels = 1;
        png.pixels.resize(size_t(png.width) * png.height);
        for (int y = 0; y < png.height; ++y)
            for (int x = 0; x < png.width; ++x)
                png.pixels[size_t(y) * png.width + x] = s.image[size_t((y / scale) * W + x / scale)] ? 255 : 0;
        ar::writePng(args.str("png"), png);
    }
    if (args.flag("json")) {
        std::vector<float> p(s.image.size()), img(s.image.size());
        for (const auto& d : s.draws) p[size_t(d.index)] = d.p;
        for (int i = 0; i < P; ++i) img[size_t(i)] = s.image[size_t(i)];
        nlohmann::json j = {{"model", model->kind()}, {"seed", seed}, {"temperature", o.temperature},
                            {"width", W}, {"height", H}, {"image", gridJson(img, H, W, 0)},
                            {"order", orderJson(*model)}, {"p", gridJson(p, H, W)}, {"log_prob_nats", s.logProb}};
        std::printf("%s\n", j.dump().c_str());
    } else {
        for (int y = 0; y < H; ++y) {
            for (int x = 0; x < W; ++x) std::fputs(s.image[size_t(y * W + x)] ? "##" : "..", stdout);
            std::fputc('\n', stdout);
        }
        std::printf("%s, seed %llu, temperature %g: log P(image) = %.2f nats\n", model->kind().c_str(),
                    (unsigned long long)seed, double(o.temperature), s.logProb);
    }
    return 0;
}

int cmdScoreImage(int argc, char** argv) {
    const std::vector<OptionSpec> specs = {
        {"image", "FILE.png", "the image to score (any PNG of the model's size; thresholded)"},
        {"threshold", "N", "luminance 0-255 at or above which a pixel counts as ink (default 128)"},
        {"label", "N", "digit label for a class-conditional model"},
        {"json", "", "machine-readable output: width, height, order [[y, x]], p[y][x]"},
    };
    Args args(argc, argv, 2, specs);
    if (args.printHelp("Usage: arlab-cli score-image MODEL --image F.png [--json]\n"
                       "p[y][x] = P(pixel (y, x) = 1 | the pixels before it in the model's order)"))
        return 0;
    auto model = openImageModel(args.model());
    const std::string path = args.required("image");
    const int label = classLabel(args, *model);
    const auto img = readBinaryPng(path, *model, int(args.integer("threshold", 128, 1, 255)));
    const std::vector<float> p = ar::pixelProbabilities(*model, img, label);
    double nll = 0;
    for (size_t i = 0; i < p.size(); ++i) nll -= std::log(std::max(1e-30, double(img[i] ? p[i] : 1.0f - p[i])));
    const double bpd = nll / (double(p.size()) * std::log(2.0));
    if (args.flag("json")) {
        nlohmann::json j = {{"width", model->width()}, {"height", model->height()}, {"order", orderJson(*model)},
                            {"p", gridJson(p, model->height(), model->width())}, {"nll_nats", nll},
                            {"bits_per_dim", bpd}, {"model", model->kind()}};
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("%s on %s (%dx%d, %d ink pixels): -log P(image) = %.2f nats = %.4f bits/dim\n",
                    model->kind().c_str(), path.c_str(), model->width(), model->height(),
                    int(std::count(img.begin(), img.end(), 1)), nll, bpd);
    }
    return 0;
}

}  // namespace arcli
