// A network built from threatminer's declarative model spec (src/ml/spec.ts). The TypeScript side
// validates the spec and infers every layer's input width, so this code trusts `inDim` and friends.
#pragma once
#include <torch/torch.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tmnet {

struct LayerConfig {
  std::string type;
  std::string name;
  std::map<std::string, double> num;
  std::map<std::string, std::string> str;

  double get(const std::string& key, double fallback) const;
  int64_t need(const std::string& key) const;
  std::string text(const std::string& key, const std::string& fallback) const;
};

struct NetConfig {
  std::string inputKind;  // "tokens" or "features"
  int64_t seqLen = 0;
  int64_t vocabSize = 0;
  int64_t padId = 0;
  int64_t featureDim = 0;
  std::string task;  // "classification", "multilabel", "tagging"
  int64_t numLabels = 0;
  std::vector<LayerConfig> layers;
};

// What flows between layers: the activations plus what masking and attention need.
struct State {
  torch::Tensor x;          // [B,T,C] for sequences, [B,C] for vectors
  torch::Tensor mask;       // [B,T] bool, true on real tokens; undefined for feature input
  torch::Tensor lengths;    // [B] int64, >= 1
  torch::Tensor attention;  // [B,H,T] from the last attention pooling layer
  torch::Tensor embedded;   // output of the first layer, for gradients w.r.t. embeddings
};

struct Layer : torch::nn::Module {
  LayerConfig cfg;
  virtual void forward(State& s) = 0;
};

struct CrfLayer;

struct Net : torch::nn::Module {
  NetConfig cfg;
  std::vector<std::shared_ptr<Layer>> layers;
  std::shared_ptr<CrfLayer> crf;

  explicit Net(const NetConfig& config);
  // `keepEmbedded` makes the first layer's output a leaf of the autograd graph we can differentiate by.
  State forward(const torch::Tensor& input, bool keepEmbedded = false);
  torch::Tensor loss(State& s, const torch::Tensor& labels, const torch::Tensor& classWeights);
};

torch::Tensor crfNll(const torch::Tensor& emissions, const torch::Tensor& tags, const torch::Tensor& mask,
                     const torch::Tensor& transitions, const torch::Tensor& start, const torch::Tensor& end);

}  // namespace tmnet
