// Procedural digits: strokes in a unit box (x right, y down), styled by a random affine pen, rasterised by
// distance to the stroke segments.
#include "core/data/digits.h"

#include "core/error.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <string>

namespace ar {

namespace {

struct Pt { double x, y; };
using Stroke = std::vector<Pt>;

// Elliptic arc from angle a0 to a1 (degrees; 0 = right, 90 = down because y points down).
Stroke arc(double cx, double cy, double rx, double ry, double a0, double a1) {
    Stroke s;
    const int n = std::max(6, int(std::abs(a1 - a0) / 12.0));
    for (int i = 0; i <= n; ++i) {
        const double a = (a0 + (a1 - a0) * i / n) * std::numbers::pi / 180.0;
        s.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
    }
    return s;
}

std::vector<Stroke> glyph(int d) {
    switch (d) {
    case 0: return {arc(0.5, 0.5, 0.30, 0.45, 0, 360)};
    case 1: return {{{0.33, 0.22}, {0.52, 0.05}, {0.52, 0.95}}};
    case 2: {
        Stroke s = arc(0.5, 0.3, 0.28, 0.25, 180, 385);
        s.push_back({0.2, 0.95});
        s.push_back({0.82, 0.95});
        return {s};
    }
    case 3: return {arc(0.5, 0.28, 0.26, 0.23, 200, 450), arc(0.5, 0.73, 0.30, 0.22, 270, 520)};
    case 4: return {{{0.66, 0.95}, {0.66, 0.05}, {0.14, 0.66}, {0.88, 0.66}}};
    case 5: {
        Stroke s = {{0.78, 0.05}, {0.32, 0.05}, {0.28, 0.45}};
        Stroke a = arc(0.5, 0.66, 0.30, 0.28, 235, 510);
        s.insert(s.end(), a.begin(), a.end());
        return {s};
    }
    case 6: return {{{0.72, 0.05}, {0.42, 0.28}, {0.24, 0.62}}, arc(0.5, 0.7, 0.27, 0.25, 0, 360)};
    case 7: return {{{0.18, 0.05}, {0.82, 0.05}, {0.42, 0.95}}};
    case 8: return {arc(0.5, 0.27, 0.23, 0.22, 0, 360), arc(0.5, 0.72, 0.28, 0.24, 0, 360)};
    case 9: return {arc(0.5, 0.3, 0.27, 0.25, 0, 360), {{0.77, 0.32}, {0.62, 0.95}}};
    default: throw Error("renderDigit: digit " + std::to_string(d) + " is not in 0-9");
    }
}

double segmentDistance(Pt p, Pt a, Pt b) {
    const double vx = b.x - a.x, vy = b.y - a.y;
    const double len2 = vx * vx + vy * vy;
    double t = len2 > 0 ? ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double dx = p.x - (a.x + t * vx), dy = p.y - (a.y + t * vy);
    return std::sqrt(dx * dx + dy * dy);
}

}  // namespace

RowVec renderDigit(int digit, Rng& rng, int height, int width) {
    if (height < 8 || width < 8) throw Error("renderDigit: image must be at least 8x8");
    std::vector<Stroke> strokes = glyph(digit);
    // The pen: glyph height in pixels, width ratio, slant (shear), rotation, centre offset, thickness.
    const double side = std::min(height, width);
    const double sy = side * rng.uniform(0.58, 0.78);
    const double sx = sy * rng.uniform(0.55, 0.85);
    const double slant = rng.uniform(-0.35, 0.25);
    const double rot = rng.uniform(-0.15, 0.15);
    const double cx = width / 2.0 + rng.uniform(-2.0, 2.0);
    const double cy = height / 2.0 + rng.uniform(-1.5, 1.5);
    const double thick = rng.uniform(1.0, 1.9) * side / 28.0;  // half-width of the pen in pixels
    const double wobble = 0.035;
    const double c = std::cos(rot), s = std::sin(rot);
    for (Stroke& st : strokes)
        for (Pt& p : st) {
            const double u = (p.x - 0.5 + rng.uniform(-wobble, wobble)) * sx;
            const double v = (p.y - 0.5 + rng.uniform(-wobble, wobble)) * sy;
            const double us = u - slant * v;  // shear: the top leans right for negative slant
            p = {cx + c * us - s * v, cy + s * us + c * v};
        }
    RowVec img = RowVec::Zero(height * width);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const Pt p{x + 0.5, y + 0.5};
            double best = 1e9;
            for (const Stroke& st : strokes)
                for (size_t i = 0; i + 1 < st.size(); ++i) best = std::min(best, segmentDistance(p, st[i], st[i + 1]));
            if (best <= thick) img[y * width + x] = 1.0f;
        }
    return img;
}

ImageSet makeDigits(int count, uint64_t seed, int height, int width) {
    if (count < 0) throw Error("makeDigits: count must be >= 0");
    Rng rng(seed);
    ImageSet set;
    set.height = height;
    set.width = width;
    set.images.resize(count, height * width);
    set.labels.resize(count);
    std::vector<int> pattern(10);
    for (int i = 0; i < count; ++i) {
        if (i % 10 == 0) {
            for (int d = 0; d < 10; ++d) pattern[d] = d;
            rng.shuffle(pattern);
        }
        set.labels[i] = pattern[i % 10];
        set.images.row(i) = renderDigit(set.labels[i], rng, height, width);
    }
    return set;
}

}  // namespace ar
