#include "core/autograd/tape.h"

namespace ar {

namespace {
thread_local std::vector<std::shared_ptr<Node>> t_tape;
thread_local bool t_gradEnabled = true;
}  // namespace

Var::Var(Mat value, bool requiresGrad) : m_node(std::make_shared<Node>()) {
    m_node->value = std::move(value);
    m_node->requiresGrad = requiresGrad;
}

Mat& Var::grad() {
    if (m_node->grad.rows() != m_node->value.rows() || m_node->grad.cols() != m_node->value.cols())
        m_node->grad = Mat::Zero(m_node->value.rows(), m_node->value.cols());
    return m_node->grad;
}

void accumulate(Node& n, const Mat& g) {
    if (!n.requiresGrad) return;
    if (n.grad.size() == 0) n.grad = g;
    else n.grad += g;
}

void accumulate(Node& n, Mat&& g) {
    if (!n.requiresGrad) return;
    if (n.grad.size() == 0) n.grad = std::move(g);  // the first gradient is taken over, not copied
    else n.grad += g;
}

Var makeResult(Mat value, std::vector<Var> inputs, std::function<void(Node&)> backward) {
    Var out(std::move(value), false);
    if (!t_gradEnabled) return out;
    bool any = false;
    for (const Var& v : inputs) any = any || v.requiresGrad();
    if (!any) return out;
    Node* n = out.node();
    n->requiresGrad = true;
    n->backward = std::move(backward);
    n->inputs.reserve(inputs.size());
    for (Var& v : inputs) n->inputs.push_back(v.ptr());
    t_tape.push_back(out.ptr());
    return out;
}

void backward(const Var& loss) {
    Node* root = loss.node();
    if (root->requiresGrad) {
        root->grad = Mat::Ones(root->value.rows(), root->value.cols());
        for (auto it = t_tape.rbegin(); it != t_tape.rend(); ++it) {
            Node& n = **it;
            if (n.grad.size() > 0 && n.backward) n.backward(n);
        }
    }
    clearTape();
}

void clearTape() {
    // Break the graph: intermediate nodes release their inputs and closures.
    for (auto& n : t_tape) {
        n->backward = nullptr;
        n->inputs.clear();
    }
    t_tape.clear();
}

size_t tapeSize() { return t_tape.size(); }

bool gradEnabled() { return t_gradEnabled; }
NoGradGuard::NoGradGuard() : m_previous(t_gradEnabled) { t_gradEnabled = false; }
NoGradGuard::~NoGradGuard() { t_gradEnabled = m_previous; }

}  // namespace ar
