#pragma once
// Reverse-mode automatic differentiation at matrix level (micrograd's idea with Eigen matrices).
//
// A Var is a handle to a Node: a value matrix, its gradient, and (for op results) a backward function that
// pushes the node's gradient into its inputs' gradients. Every op run while grad mode is on appends its
// result to a thread-local tape; backward(loss) walks that tape in reverse, then clears it.
// Each training thread therefore has its own tape. NoGradGuard turns recording off for inference.
#include "core/tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ar {

struct Node {
    Mat value;                                    // (rows, cols), any shape
    Mat grad;                                     // same shape as value; empty until something flows into it
    bool requiresGrad = false;
    std::function<void(Node& self)> backward;     // accumulates self.grad into the inputs' grads
    std::vector<std::shared_ptr<Node>> inputs;    // keeps the graph alive until backward runs
};

class Var {
public:
    Var() = default;
    explicit Var(Mat value, bool requiresGrad = false);
    static Var param(Mat value) { return Var(std::move(value), true); }

    const Mat& value() const { return m_node->value; }
    Mat& value() { return m_node->value; }
    Mat& grad();                                  // zero-filled on first use
    bool hasGrad() const { return m_node && m_node->grad.size() > 0; }
    void zeroGrad() { if (m_node) m_node->grad.resize(0, 0); }
    bool requiresGrad() const { return m_node && m_node->requiresGrad; }
    Index rows() const { return m_node->value.rows(); }
    Index cols() const { return m_node->value.cols(); }
    float item() const { return m_node->value(0, 0); }
    bool defined() const { return bool(m_node); }
    Node* node() const { return m_node.get(); }
    const std::shared_ptr<Node>& ptr() const { return m_node; }

private:
    std::shared_ptr<Node> m_node;
};

// Adds g into n.grad (allocating on first use). No-op for nodes that do not require grad.
void accumulate(Node& n, const Mat& g);
void accumulate(Node& n, Mat&& g);

// Creates the result node of an op. When grad mode is on and any input requires grad, the result requires
// grad, keeps its inputs alive, stores `backward`, and is appended to this thread's tape.
Var makeResult(Mat value, std::vector<Var> inputs, std::function<void(Node&)> backward);

// Runs backward from a scalar (1x1) loss: seeds d(loss)/d(loss) = 1, calls every recorded backward in
// reverse order, then clears the tape. Gradients accumulate into leaves (parameters) until zeroGrad().
void backward(const Var& loss);

// Drops everything recorded on this thread's tape (e.g. after a forward pass whose loss is not needed).
void clearTape();
size_t tapeSize();

bool gradEnabled();
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool m_previous;
};

// A named trainable tensor, e.g. {"transformer.h.0.attn.c_attn.weight", Var}.
// `shape` is the tensor's shape in a file when it differs from (rows, cols), e.g. {C} for a bias kept as (1, C).
struct NamedParam {
    std::string name;
    Var var;
    std::vector<Index> shape;  // empty: (rows, cols)
};
using ParamList = std::vector<NamedParam>;

}  // namespace ar
