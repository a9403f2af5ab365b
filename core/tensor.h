#pragma once
// Tensors in arlab are Eigen matrices. Storage is row-major, the same as PyTorch, so a (rows, cols) matrix
// maps byte for byte onto a safetensors entry of shape [rows, cols].
//
// Dimension legend used in shape comments across core/:
//   B  batch size (sequences, or beam hypotheses, processed together)
//   T  sequence length (time steps / positions)
//   C  channels = embedding width (n_embd)
//   V  vocabulary size
//   H  number of attention heads (head width D = C / H)
//   N  any number of rows, usually B*T flattened
//   S  source length (seq2seq encoder)
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace ar {

using Index = Eigen::Index;
using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVec = Eigen::Matrix<float, 1, Eigen::Dynamic, Eigen::RowMajor>;
using ColVec = Eigen::Matrix<float, Eigen::Dynamic, 1>;
using MatMap = Eigen::Map<Mat>;
using ConstMatMap = Eigen::Map<const Mat>;
using Tokens = std::vector<int>;

}  // namespace ar
