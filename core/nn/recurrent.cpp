// Fused recurrent cells: each step's forward, then right below it the backward that turns the gradient of
// the outputs into gradients of x, h (c) and the four weight tensors.
#include "core/nn/recurrent.h"

#include "core/enumnames.h"
#include "core/error.h"
#include "core/nn/kernels.h"

#include <cmath>

namespace ar::nn {

namespace {

Mat sigmoidOf(const Mat& a) { return (1.0f + (-a.array()).exp()).inverse().matrix(); }

void checkShapes(const char* op, int G, const Var& x, const Var& h, const Var& wih, const Var& whh, const Var& bih,
                 const Var& bhh) {
    const Index H = h.cols();
    auto fail = [&](const std::string& what) { throw Error(std::string(op) + ": " + what); };
    if (wih.rows() != G * H || whh.rows() != G * H || whh.cols() != H) fail("weight shapes do not match hidden size");
    if (wih.cols() != x.cols()) fail("input width " + std::to_string(x.cols()) + " does not match weight_ih");
    if (x.rows() != h.rows()) fail("x and h have different batch sizes");
    if (bih.rows() != 1 || bih.cols() != G * H || bhh.rows() != 1 || bhh.cols() != G * H) fail("bias shapes");
}

// Pushes the pre-activation gradients of the input side (dgi) and hidden side (dgh) into x, h and weights.
// Inputs of every cell node are ordered {x, h, [c,] wih, whh, bih, bhh}; w0 = index of wih.
void backLinear(Node& self, size_t w0, const Mat& dgi, const Mat& dgh, const Mat* dhExtra) {
    Node& X = *self.inputs[0];
    Node& Hn = *self.inputs[1];
    Node& Wih = *self.inputs[w0];
    Node& Whh = *self.inputs[w0 + 1];
    Node& Bih = *self.inputs[w0 + 2];
    Node& Bhh = *self.inputs[w0 + 3];
    if (X.requiresGrad) accumulate(X, matmulNN(dgi, Wih.value));
    if (Hn.requiresGrad) {
        Mat dh = matmulNN(dgh, Whh.value);
        if (dhExtra) dh += *dhExtra;
        accumulate(Hn, dh);
    }
    if (Wih.requiresGrad) accumulate(Wih, matmulTN(dgi, X.value));
    if (Whh.requiresGrad) accumulate(Whh, matmulTN(dgh, Hn.value));
    if (Bih.requiresGrad) accumulate(Bih, dgi.colwise().sum());
    if (Bhh.requiresGrad) accumulate(Bhh, dgh.colwise().sum());
}

}  // namespace

int gateCount(CellType t) { return t == CellType::Rnn ? 1 : t == CellType::Lstm ? 4 : 3; }
namespace {
constexpr EnumName<CellType> kCellNames[] = {{CellType::Rnn, "rnn"}, {CellType::Lstm, "lstm"}, {CellType::Gru, "gru"}};
}  // namespace

std::string cellName(CellType t) { return nameOf(kCellNames, t, "gru"); }
CellType parseCellType(const std::string& s) {
    if (const auto e = fromName(kCellNames, s)) return *e;
    throw Error("unknown recurrent cell '" + s + "' (choices: rnn, lstm, gru)");
}

// --- RNN (tanh) -------------------------------------------------------------------------------------

Var rnnCell(const Var& x, const Var& h, const Var& wih, const Var& whh, const Var& bih, const Var& bhh) {
    checkShapes("rnnCell", 1, x, h, wih, whh, bih, bhh);
    Mat pre = matmulNT(x.value(), wih.value()) + matmulNT(h.value(), whh.value());
    pre.rowwise() += bih.value().row(0) + bhh.value().row(0);
    Mat out = pre.array().tanh();
    return makeResult(std::move(out), {x, h, wih, whh, bih, bhh}, [](Node& self) {
        const Mat dpre = (self.grad.array() * (1.0f - self.value.array().square())).matrix();
        backLinear(self, 2, dpre, dpre, nullptr);
    });
}

// --- LSTM -------------------------------------------------------------------------------------------

Var lstmCell(const Var& x, const Var& h, const Var& c, const Var& wih, const Var& whh, const Var& bih,
             const Var& bhh) {
    checkShapes("lstmCell", 4, x, h, wih, whh, bih, bhh);
    const Index H = h.cols();
    if (c.rows() != h.rows() || c.cols() != H) throw Error("lstmCell: c must have the shape of h");
    Mat gates = matmulNT(x.value(), wih.value()) + matmulNT(h.value(), whh.value());  // (B, 4H)
    gates.rowwise() += bih.value().row(0) + bhh.value().row(0);
    Mat i = sigmoidOf(gates.middleCols(0, H));
    Mat f = sigmoidOf(gates.middleCols(H, H));
    Mat g = gates.middleCols(2 * H, H).array().tanh();
    Mat o = sigmoidOf(gates.middleCols(3 * H, H));
    Mat c2 = f.cwiseProduct(c.value()) + i.cwiseProduct(g);
    Mat tc = c2.array().tanh();
    Mat out(h.rows(), 2 * H);
    out.leftCols(H) = o.cwiseProduct(tc);
    out.rightCols(H) = c2;
    return makeResult(std::move(out), {x, h, c, wih, whh, bih, bhh},
                      [H, i = std::move(i), f = std::move(f), g = std::move(g), o = std::move(o),
                       tc = std::move(tc)](Node& self) {
        const Mat dh2 = self.grad.leftCols(H);
        const Mat dc2 = self.grad.rightCols(H);
        const Node& C = *self.inputs[2];
        // c' feeds h' through tanh: total gradient reaching c'
        const Mat dc = dc2 + (dh2.array() * o.array() * (1.0f - tc.array().square())).matrix();
        Mat dpre(dh2.rows(), 4 * H);
        dpre.middleCols(0, H) = (dc.array() * g.array() * i.array() * (1.0f - i.array())).matrix();
        dpre.middleCols(H, H) = (dc.array() * C.value.array() * f.array() * (1.0f - f.array())).matrix();
        dpre.middleCols(2 * H, H) = (dc.array() * i.array() * (1.0f - g.array().square())).matrix();
        dpre.middleCols(3 * H, H) = (dh2.array() * tc.array() * o.array() * (1.0f - o.array())).matrix();
        if (C.requiresGrad) accumulate(*self.inputs[2], dc.cwiseProduct(f));
        backLinear(self, 3, dpre, dpre, nullptr);
    });
}

// --- GRU --------------------------------------------------------------------------------------------

Var gruCell(const Var& x, const Var& h, const Var& wih, const Var& whh, const Var& bih, const Var& bhh) {
    checkShapes("gruCell", 3, x, h, wih, whh, bih, bhh);
    const Index H = h.cols();
    Mat gi = matmulNT(x.value(), wih.value());      // (B, 3H)
    gi.rowwise() += bih.value().row(0);
    Mat gh = matmulNT(h.value(), whh.value());      // (B, 3H)
    gh.rowwise() += bhh.value().row(0);
    Mat r = sigmoidOf(gi.middleCols(0, H) + gh.middleCols(0, H));
    Mat z = sigmoidOf(gi.middleCols(H, H) + gh.middleCols(H, H));
    Mat ghn = gh.middleCols(2 * H, H);
    Mat n = (gi.middleCols(2 * H, H) + r.cwiseProduct(ghn)).array().tanh();
    Mat out = ((1.0f - z.array()) * n.array() + z.array() * h.value().array()).matrix();
    return makeResult(std::move(out), {x, h, wih, whh, bih, bhh},
                      [H, r = std::move(r), z = std::move(z), n = std::move(n), ghn = std::move(ghn)](Node& self) {
        const Mat& dh2 = self.grad;
        const Node& Hn = *self.inputs[1];
        const Mat dn = (dh2.array() * (1.0f - z.array()) * (1.0f - n.array().square())).matrix();  // d pre-tanh
        const Mat dz = (dh2.array() * (Hn.value.array() - n.array()) * z.array() * (1.0f - z.array())).matrix();
        const Mat dr = (dn.array() * ghn.array() * r.array() * (1.0f - r.array())).matrix();
        Mat dgi(dh2.rows(), 3 * H), dgh(dh2.rows(), 3 * H);
        dgi << dr, dz, dn;
        dgh << dr, dz, dn.cwiseProduct(r);
        const Mat direct = dh2.cwiseProduct(z);  // h' = ... + z*h
        backLinear(self, 2, dgi, dgh, &direct);
    });
}

// --- the stack ----------------------------------------------------------------------------------------

RecurrentState RecurrentState::detached() const {
    RecurrentState s;
    for (const Var& v : h) s.h.push_back(Var(v.value()));
    for (const Var& v : c) s.c.push_back(Var(v.value()));
    return s;
}

Recurrent::Recurrent(CellType t, int in, int H, int layers, Rng& rng) : type(t), inputSize(in), hidden(H) {
    if (in <= 0 || H <= 0 || layers <= 0) throw Error("recurrent layer: sizes must be positive");
    const int G = gateCount(t);
    const float k = 1.0f / std::sqrt(float(H));
    auto uniform = [&](Index r, Index c) {
        Mat m = Mat::Zero(r, c);
        if (!rng.isForLoading())  // else the weights come from a file next: no draws
            for (Index i = 0; i < m.size(); ++i) m.data()[i] = float(rng.uniform(-k, k));
        return Var::param(std::move(m));
    };
    for (int l = 0; l < layers; ++l) {
        wih.push_back(uniform(G * H, l == 0 ? in : H));
        whh.push_back(uniform(G * H, H));
        bih.push_back(uniform(1, G * H));
        bhh.push_back(uniform(1, G * H));
    }
}

RecurrentState Recurrent::zeroState(int batch) const {
    RecurrentState s;
    for (int l = 0; l < layers(); ++l) {
        s.h.push_back(Var(Mat::Zero(batch, hidden)));
        if (type == CellType::Lstm) s.c.push_back(Var(Mat::Zero(batch, hidden)));
    }
    return s;
}

Var Recurrent::step(const Var& x, RecurrentState& s) const {
    Var in = x;
    for (int l = 0; l < layers(); ++l) {
        const size_t k = size_t(l);
        switch (type) {
        case CellType::Rnn: s.h[k] = rnnCell(in, s.h[k], wih[k], whh[k], bih[k], bhh[k]); break;
        case CellType::Gru: s.h[k] = gruCell(in, s.h[k], wih[k], whh[k], bih[k], bhh[k]); break;
        case CellType::Lstm: {
            Var hc = lstmCell(in, s.h[k], s.c[k], wih[k], whh[k], bih[k], bhh[k]);
            s.h[k] = ops::sliceCols(hc, 0, hidden);
            s.c[k] = ops::sliceCols(hc, hidden, hidden);
            break;
        }
        }
        in = s.h[k];
    }
    return in;
}

void Recurrent::collect(ParamList& out, const std::string& prefix) const {
    for (int l = 0; l < layers(); ++l) {
        const std::string s = std::to_string(l);
        const size_t k = size_t(l);
        out.push_back({prefix + "weight_ih_l" + s, wih[k], {}});
        out.push_back({prefix + "weight_hh_l" + s, whh[k], {}});
        out.push_back({prefix + "bias_ih_l" + s, bih[k], {bih[k].cols()}});
        out.push_back({prefix + "bias_hh_l" + s, bhh[k], {bhh[k].cols()}});
    }
}

}  // namespace ar::nn
