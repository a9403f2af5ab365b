#include "core/nn/maskedconv.h"

#include "core/error.h"
#include "core/nn/kernels.h"

#include <cmath>

namespace ar::nn {

MaskType maskTypeFromString(const std::string& s) {
    if (s == "A") return MaskType::A;
    if (s == "B") return MaskType::B;
    if (s == "V") return MaskType::Vertical;
    if (s == "HA") return MaskType::HorizontalA;
    if (s == "HB") return MaskType::HorizontalB;
    throw Error("unknown convolution mask '" + s + "' (expected A, B, V, HA or HB)");
}

std::string toString(MaskType m) {
    switch (m) {
    case MaskType::A: return "A";
    case MaskType::B: return "B";
    case MaskType::Vertical: return "V";
    case MaskType::HorizontalA: return "HA";
    case MaskType::HorizontalB: return "HB";
    }
    return "?";
}

std::vector<Tap> maskTaps(MaskType mask, int k) {
    if (k < 1 || k % 2 == 0) throw Error("masked convolution: kernel size must be odd, got " + std::to_string(k));
    const int r = k / 2;
    std::vector<Tap> taps;
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx) {
            bool keep = false;
            switch (mask) {
            case MaskType::A: keep = dy < 0 || (dy == 0 && dx < 0); break;
            case MaskType::B: keep = dy < 0 || (dy == 0 && dx <= 0); break;
            case MaskType::Vertical: keep = dy <= 0; break;
            case MaskType::HorizontalA: keep = dy == 0 && dx < 0; break;
            case MaskType::HorizontalB: keep = dy == 0 && dx <= 0; break;
            }
            if (keep) taps.push_back({dy, dx, (dy + r) * k + (dx + r)});
        }
    return taps;
}

Mat compactWeight(const Mat& weight, int cin, int k, const std::vector<Tap>& taps) {
    const Index T = Index(taps.size());
    Mat wc(weight.rows(), T * cin);
    for (Index t = 0; t < T; ++t)
        for (int ci = 0; ci < cin; ++ci) wc.col(t * cin + ci) = weight.col(Index(ci) * k * k + taps[t].kernel);
    return wc;
}

namespace {
// Calls f(n, m, t) for every output row n = (b, y, x) and tap t whose input pixel m = (b, y+dy, x+dx) lies
// inside the image (taps outside read zeros).
template <class F>
void forEachTap(const std::vector<Tap>& taps, ImageShape s, F&& f) {
    const int H = s.height, W = s.width;
    for (int b = 0; b < s.batch; ++b)
        for (int y = 0; y < H; ++y)
            for (int xx = 0; xx < W; ++xx) {
                const Index n = (Index(b) * H + y) * W + xx;
                for (Index t = 0; t < Index(taps.size()); ++t) {
                    const int yy = y + taps[t].dy, xs = xx + taps[t].dx;
                    if (yy < 0 || yy >= H || xs < 0 || xs >= W) continue;
                    f(n, (Index(b) * H + yy) * W + xs, t);
                }
            }
}
// im2col: cols (N, T*Cin), row n = (b, y, x), block t = input pixel (y+dy, x+dx) or zeros.
Mat im2col(const Mat& x, const std::vector<Tap>& taps, ImageShape s) {
    const Index cin = x.cols();
    Mat cols = Mat::Zero(s.rows(), Index(taps.size()) * cin);
    forEachTap(taps, s, [&](Index n, Index m, Index t) { cols.row(n).segment(t * cin, cin) = x.row(m); });
    return cols;
}
// col2im: the adjoint of im2col (scatter-add back into the input's gradient).
void col2imAdd(const Mat& dcols, const std::vector<Tap>& taps, ImageShape s, Mat& dx) {
    const Index cin = dx.cols();
    forEachTap(taps, s, [&](Index n, Index m, Index t) { dx.row(m) += dcols.row(n).segment(t * cin, cin); });
}
}  // namespace

Var maskedConv2d(const Var& x, const Var& weight, const Var& bias, int k, const std::vector<Tap>& taps,
                 ImageShape s) {
    if (x.rows() != s.rows())
        throw Error("maskedConv2d: input has " + std::to_string(x.rows()) + " rows, expected B*H*W = " +
                    std::to_string(s.rows()));
    const int cin = int(x.cols());
    if (weight.cols() != Index(cin) * k * k)
        throw Error("maskedConv2d: weight has " + std::to_string(weight.cols()) + " columns, expected Cin*k*k = " +
                    std::to_string(cin * k * k));
    const Mat wc = compactWeight(weight.value(), cin, k, taps);  // (Cout, T*Cin)
    Mat cols = im2col(x.value(), taps, s);                       // (N, T*Cin)
    Mat out = matmulNT(cols, wc);                                 // (N, Cout)
    if (bias.defined()) out.rowwise() += bias.value().row(0);
    std::vector<Var> inputs = {x, weight};
    if (bias.defined()) inputs.push_back(bias);
    return makeResult(std::move(out), inputs, [cols = std::move(cols), wc, taps, s, k, cin](Node& self) {
        Node& X = *self.inputs[0];
        Node& Wt = *self.inputs[1];
        const Mat& g = self.grad;  // (N, Cout)
        if (Wt.requiresGrad) {
            const Mat dwc = matmulTN(g, cols);  // (Cout, T*Cin)
            Mat dw = Mat::Zero(Wt.value.rows(), Wt.value.cols());
            for (size_t t = 0; t < taps.size(); ++t)
                for (int ci = 0; ci < cin; ++ci)
                    dw.col(Index(ci) * k * k + taps[t].kernel) = dwc.col(Index(t) * cin + ci);
            accumulate(Wt, dw);
        }
        if (self.inputs.size() > 2 && self.inputs[2]->requiresGrad) accumulate(*self.inputs[2], g.colwise().sum());
        if (X.requiresGrad) {
            const Mat dcols = matmulNN(g, wc);  // (N, T*Cin)
            Mat dx = Mat::Zero(X.value.rows(), X.value.cols());
            col2imAdd(dcols, taps, s, dx);
            accumulate(X, dx);
        }
    });
}

Var shiftDown(const Var& x, ImageShape s) {
    if (x.rows() != s.rows()) throw Error("shiftDown: input rows do not match B*H*W");
    const Index W = s.width, HW = Index(s.height) * W;
    Mat out = Mat::Zero(x.rows(), x.cols());
    for (int b = 0; b < s.batch; ++b) out.middleRows(b * HW + W, HW - W) = x.value().middleRows(b * HW, HW - W);
    return makeResult(std::move(out), {x}, [s, W, HW](Node& self) {
        Mat dx = Mat::Zero(self.grad.rows(), self.grad.cols());
        for (int b = 0; b < s.batch; ++b) dx.middleRows(b * HW, HW - W) = self.grad.middleRows(b * HW + W, HW - W);
        accumulate(*self.inputs[0], dx);
    });
}

void convAt(const Mat& in, const Mat& wc, const float* bias, const std::vector<Tap>& taps, int height, int width,
            int y, int x, RowVec& scratch, float* out) {
    const Index cin = in.cols(), T = Index(taps.size());
    scratch.setZero(T * cin);
    for (Index t = 0; t < T; ++t) {
        const int yy = y + taps[t].dy, xs = x + taps[t].dx;
        if (yy < 0 || yy >= height || xs < 0 || xs >= width) continue;
        scratch.segment(t * cin, cin) = in.row(Index(yy) * width + xs);
    }
    Eigen::Map<RowVec> o(out, wc.rows());
    linearRows(scratch.data(), scratch.cols(), 1, wc.data(), wc.cols(), wc.rows(), nullptr, out, wc.rows());
    if (bias) o += Eigen::Map<const RowVec>(bias, wc.rows());
}

MaskedConv2d::MaskedConv2d(int cin_, int cout_, int k_, MaskType mask_, Rng& rng)
    : cin(cin_), cout(cout_), k(k_), mask(mask_), taps(maskTaps(mask_, k_)) {
    // PyTorch's default bound 1/sqrt(fan_in), with fan_in counting only the taps the mask keeps.
    const float bound = 1.0f / std::sqrt(float(cin * taps.size()));
    Mat w = Mat::Zero(cout, Index(cin) * k * k);
    Mat b = Mat::Zero(1, cout);
    if (rng.isForLoading()) {  // weights come from a file next: no draws
        weight = Var::param(std::move(w));
        bias = Var::param(std::move(b));
        return;
    }
    for (int co = 0; co < cout; ++co)
        for (int ci = 0; ci < cin; ++ci)
            for (const Tap& t : taps) w(co, Index(ci) * k * k + t.kernel) = float(rng.uniform(-bound, bound));
    weight = Var::param(std::move(w));
    for (Index i = 0; i < b.size(); ++i) b.data()[i] = float(rng.uniform(-bound, bound));
    bias = Var::param(std::move(b));
}

void MaskedConv2d::collect(ParamList& out, const std::string& prefix) const {
    out.push_back({prefix + "weight", weight, {cout, cin, k, k}});
    out.push_back({prefix + "bias", bias, {cout}});
}

}  // namespace ar::nn
