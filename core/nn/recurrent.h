#pragma once
// Recurrent layers with PyTorch's nn.RNN (tanh) / nn.LSTM / nn.GRU layout, so a file's tensors load with
// load_state_dict into those modules:
//   weight_ih_l{k}  (G*H, in_k)   in_0 = input size, in_k = H for k > 0
//   weight_hh_l{k}  (G*H, H)
//   bias_ih_l{k}    (G*H)         kept as (1, G*H)
//   bias_hh_l{k}    (G*H)
// G = 1 (RNN), 4 (LSTM, gate blocks in the order i, f, g, o), 3 (GRU, blocks r, z, n).
//
// One step of each cell is ONE fused autograd op (forward and backward written side by side in
// recurrent.cpp), which keeps the tape short: T steps x L layers nodes per sequence.
//   RNN:  h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
//   LSTM: [i f g o] = W_ih x + b_ih + W_hh h + b_hh;  i,f,o = sigmoid, g = tanh
//         c' = f*c + i*g;  h' = o*tanh(c')
//   GRU:  r = sigmoid(W_ir x + b_ir + W_hr h + b_hr);  z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
//         n = tanh(W_in x + b_in + r*(W_hn h + b_hn));  h' = (1-z)*n + z*h
//
// Legend: B batch (rows), H hidden width, G gate count, L layers.
#include "core/autograd/ops.h"

#include <string>
#include <vector>

namespace ar::nn {

enum class CellType { Rnn, Lstm, Gru };
int gateCount(CellType t);                      // 1, 4, 3
std::string cellName(CellType t);               // "rnn" | "lstm" | "gru"
CellType parseCellType(const std::string& s);   // throws ar::Error naming the choices

// Fused single-step cells. x (B, in), h and c (B, H); weights as above, biases (1, G*H).
Var rnnCell(const Var& x, const Var& h, const Var& wih, const Var& whh, const Var& bih, const Var& bhh);
// Returns [h' | c'] side by side: (B, 2H). Slice with ops::sliceCols.
Var lstmCell(const Var& x, const Var& h, const Var& c, const Var& wih, const Var& whh, const Var& bih,
             const Var& bhh);
Var gruCell(const Var& x, const Var& h, const Var& wih, const Var& whh, const Var& bih, const Var& bhh);

// Hidden state of a stack: per layer (B, H); c only for the LSTM (empty otherwise).
struct RecurrentState {
    std::vector<Var> h;  // L x (B, H)
    std::vector<Var> c;  // L x (B, H), LSTM only
    // Cuts the graph (truncated BPTT): same values, no history.
    RecurrentState detached() const;
};

// A stack of L layers, PyTorch's nn.RNN / nn.LSTM / nn.GRU (batch handled as rows, one step at a time).
struct Recurrent {
    CellType type = CellType::Lstm;
    int inputSize = 0;
    int hidden = 0;                 // H
    std::vector<Var> wih, whh;      // per layer: (G*H, in_k), (G*H, H)
    std::vector<Var> bih, bhh;      // per layer: (1, G*H)

    Recurrent() = default;
    // PyTorch's initialisation: every tensor U(-1/sqrt(H), 1/sqrt(H)).
    Recurrent(CellType type, int inputSize, int hidden, int layers, Rng& rng);
    int layers() const { return int(wih.size()); }

    RecurrentState zeroState(int batch) const;
    // One time step through every layer: x (B, in) -> top layer's new h (B, H); `state` is updated.
    Var step(const Var& x, RecurrentState& state) const;
    // Names: prefix + "weight_ih_l0", ... (prefix e.g. "rnn.").
    void collect(ParamList& out, const std::string& prefix) const;
};

}  // namespace ar::nn
