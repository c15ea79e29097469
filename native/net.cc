// Layer implementations. Every formula here is mirrored op for op by the ONNX exporter
// (src/ml/onnx/export.ts); change both together or the parity tests fail.
#include "net.h"

#include <cmath>
#include <stdexcept>

namespace tmnet {

namespace F = torch::nn::functional;

double LayerConfig::get(const std::string& key, double fallback) const {
  auto it = num.find(key);
  return it == num.end() ? fallback : it->second;
}

int64_t LayerConfig::need(const std::string& key) const {
  auto it = num.find(key);
  if (it == num.end()) throw std::invalid_argument("layer '" + name + "' (" + type + "): missing '" + key + "'");
  return static_cast<int64_t>(it->second);
}

std::string LayerConfig::text(const std::string& key, const std::string& fallback) const {
  auto it = str.find(key);
  return it == str.end() ? fallback : it->second;
}

namespace {

constexpr double kMaskedOut = -1e9;  // additive bias for padded positions (finite so ONNX matches)

// 1.0 on real tokens, 0.0 on padding, as [B,T,1].
torch::Tensor maskColumn(const State& s) { return s.mask.to(s.x.scalar_type()).unsqueeze(-1); }

torch::Tensor activate(const torch::Tensor& x, const std::string& fn) {
  if (fn == "relu") return torch::relu(x);
  if (fn == "gelu") return torch::gelu(x);  // exact (erf) form
  if (fn == "tanh") return torch::tanh(x);
  if (fn == "sigmoid") return torch::sigmoid(x);
  if (fn == "identity") return x;
  throw std::invalid_argument("unknown activation '" + fn + "'");
}

struct EmbeddingLayer : Layer {
  torch::Tensor weight;
  int64_t padId;
  EmbeddingLayer(const NetConfig& net, const LayerConfig& c) : padId(net.padId) {
    weight = register_parameter("weight", torch::randn({net.vocabSize, c.need("dim")}) * 0.1);
    torch::NoGradGuard g;
    weight[padId].zero_();
  }
  void forward(State& s) override {
    s.x = torch::embedding(weight, s.x, padId);
  }
};

struct PositionLayer : Layer {
  torch::Tensor weight;
  PositionLayer(const NetConfig& net, const LayerConfig& c) {
    weight = register_parameter("weight", torch::randn({net.seqLen, c.need("inDim")}) * 0.02);
  }
  void forward(State& s) override { s.x = s.x + weight.slice(0, 0, s.x.size(1)).unsqueeze(0); }
};

struct Conv1dLayer : Layer {
  torch::Tensor weight, bias;
  int64_t kernel, dilation;
  Conv1dLayer(const LayerConfig& c) : kernel(c.need("kernel")), dilation(c.get("dilation", 1)) {
    const int64_t in = c.need("inDim"), out = c.need("filters");
    const double bound = 1.0 / std::sqrt(static_cast<double>(in * kernel));
    weight = register_parameter("weight", torch::empty({out, in, kernel}).uniform_(-bound, bound));
    bias = register_parameter("bias", torch::empty({out}).uniform_(-bound, bound));
  }
  void forward(State& s) override {
    auto y = torch::conv1d(s.x.transpose(1, 2), weight, bias, 1, dilation * (kernel / 2), dilation);
    s.x = y.transpose(1, 2);
    // Zero the padded positions so stacked convolutions see true zero padding.
    if (s.mask.defined()) s.x = s.x * maskColumn(s);
  }
};

struct RnnLayer : Layer {
  torch::nn::LSTM lstm{nullptr};
  torch::nn::GRU gru{nullptr};
  explicit RnnLayer(const LayerConfig& c) {
    const int64_t in = c.need("inDim"), hidden = c.need("hidden");
    const bool bi = c.get("bidirectional", 0) != 0;
    if (c.type == "lstm")
      lstm = register_module("rnn", torch::nn::LSTM(torch::nn::LSTMOptions(in, hidden).batch_first(true).bidirectional(bi)));
    else
      gru = register_module("rnn", torch::nn::GRU(torch::nn::GRUOptions(in, hidden).batch_first(true).bidirectional(bi)));
  }
  // One direction of the layer, unpacked, with the module's own parameters.
  torch::Tensor direction(const torch::Tensor& x, bool reverse) {
    auto named = lstm ? lstm->named_parameters() : gru->named_parameters();
    const std::string sfx = reverse ? "_reverse" : "";
    std::vector<torch::Tensor> params = {named["weight_ih_l0" + sfx], named["weight_hh_l0" + sfx], named["bias_ih_l0" + sfx],
                                         named["bias_hh_l0" + sfx]};
    const int64_t hidden = params[1].size(1);
    auto h0 = torch::zeros({1, x.size(0), hidden}, x.options());
    if (lstm) return std::get<0>(torch::lstm(x, {h0, h0}, params, true, 1, 0.0, is_training(), false, true));
    return std::get<0>(torch::gru(x, h0, params, true, 1, 0.0, is_training(), false, true));
  }

  void forward(State& s) override {
    const int64_t B = s.x.size(0), T = s.x.size(1);
    // Without padding in the batch the module's own (unpacked) path is exact.
    if (!s.mask.defined() || s.lengths.min().item<int64_t>() == T) {
      s.x = lstm ? std::get<0>(lstm->forward(s.x)) : std::get<0>(gru->forward(s.x));
      return;
    }
    // With padding, each direction runs unpacked (packed sequences are several times slower on CPU):
    // real positions of the forward direction never see the padding after them, and the backward
    // direction runs on every sequence reversed within its own length, i.e. it starts at the last
    // real token, as ONNX's sequence_lens does. Outputs at padding are zeroed, as ONNX's are.
    const bool bi = lstm ? lstm->options.bidirectional() : gru->options.bidirectional();
    auto out = direction(s.x, false);
    if (bi) {
      auto ar = torch::arange(T, torch::kLong).unsqueeze(0);
      auto len = s.lengths.unsqueeze(1);
      auto idx = torch::where(ar < len, len - 1 - ar, ar).unsqueeze(-1);  // an involution
      auto flip = [&](const torch::Tensor& t) { return t.gather(1, idx.expand({B, T, t.size(2)})); };
      out = torch::cat({out, flip(direction(flip(s.x), true))}, -1);
    }
    s.x = out * maskColumn(s);
  }
};

struct TransformerLayer : Layer {
  torch::nn::Linear qkv{nullptr}, out{nullptr}, ff1{nullptr}, ff2{nullptr};
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  int64_t heads;
  double dropout;
  std::string act;
  explicit TransformerLayer(const LayerConfig& c)
      : heads(c.need("heads")), dropout(c.get("dropout", 0.1)), act(c.text("activation", "gelu")) {
    const int64_t d = c.need("inDim"), ff = c.need("ff");
    qkv = register_module("qkv", torch::nn::Linear(d, 3 * d));
    out = register_module("out", torch::nn::Linear(d, d));
    ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(1e-5)));
    ff1 = register_module("ff1", torch::nn::Linear(d, ff));
    ff2 = register_module("ff2", torch::nn::Linear(ff, d));
    ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(1e-5)));
  }
  void forward(State& s) override {
    const auto B = s.x.size(0), T = s.x.size(1), D = s.x.size(2), dh = D / heads;
    auto proj = qkv->forward(s.x).view({B, T, 3, heads, dh}).permute({2, 0, 3, 1, 4});
    auto q = proj[0], k = proj[1], v = proj[2];  // [B,H,T,dh]
    auto scores = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(dh));
    if (s.mask.defined()) scores = scores + ((1 - s.mask.to(scores.scalar_type())) * kMaskedOut).view({B, 1, 1, T});
    auto p = torch::dropout(torch::softmax(scores, -1), dropout, is_training());
    auto o = torch::matmul(p, v).permute({0, 2, 1, 3}).reshape({B, T, D});
    auto x = ln1->forward(s.x + torch::dropout(out->forward(o), dropout, is_training()));
    auto f = ff2->forward(torch::dropout(activate(ff1->forward(x), act), dropout, is_training()));
    s.x = ln2->forward(x + torch::dropout(f, dropout, is_training()));
  }
};

// Multi-head additive self-attention pooling: each head scores every position, a masked softmax
// over time turns scores into weights, and the weighted sums of the heads are concatenated.
struct AttentionPoolLayer : Layer {
  torch::nn::Linear proj{nullptr}, score{nullptr};
  explicit AttentionPoolLayer(const LayerConfig& c) {
    proj = register_module("proj", torch::nn::Linear(c.need("inDim"), c.need("hidden")));
    score = register_module("score", torch::nn::Linear(torch::nn::LinearOptions(c.need("hidden"), c.need("heads")).bias(false)));
  }
  void forward(State& s) override {
    auto sc = score->forward(torch::tanh(proj->forward(s.x)));  // [B,T,H]
    if (s.mask.defined()) sc = sc + (1 - maskColumn(s)) * kMaskedOut;
    auto a = torch::softmax(sc, 1).transpose(1, 2);  // [B,H,T]
    s.attention = a;
    s.x = torch::matmul(a, s.x).flatten(1);  // [B,H*C]
  }
};

struct LinearLayer : Layer {
  torch::nn::Linear lin{nullptr};
  explicit LinearLayer(const LayerConfig& c) {
    lin = register_module("linear", torch::nn::Linear(c.need("inDim"), c.need("units")));
  }
  void forward(State& s) override { s.x = lin->forward(s.x); }
};

struct LayerNormLayer : Layer {
  torch::nn::LayerNorm ln{nullptr};
  explicit LayerNormLayer(const LayerConfig& c) {
    ln = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.need("inDim")}).eps(1e-5)));
  }
  void forward(State& s) override { s.x = ln->forward(s.x); }
};

struct DropoutLayer : Layer {
  double p;
  explicit DropoutLayer(const LayerConfig& c) : p(c.get("p", 0.1)) {}
  void forward(State& s) override { s.x = torch::dropout(s.x, p, is_training()); }
};

struct ActivationLayer : Layer {
  std::string fn;
  explicit ActivationLayer(const LayerConfig& c) : fn(c.text("fn", "relu")) {}
  void forward(State& s) override { s.x = activate(s.x, fn); }
};

struct PoolLayer : Layer {
  bool isMax;
  explicit PoolLayer(const LayerConfig& c) : isMax(c.text("op", "max") == "max") {}
  void forward(State& s) override {
    if (!s.mask.defined()) {
      s.x = isMax ? std::get<0>(s.x.max(1)) : s.x.mean(1);
      return;
    }
    auto m = maskColumn(s);
    if (isMax) {
      s.x = std::get<0>((s.x + (1 - m) * kMaskedOut).max(1));
    } else {
      s.x = (s.x * m).sum(1) / m.sum(1).clamp_min(1.0);
    }
  }
};

}  // namespace

struct CrfLayer : Layer {
  torch::Tensor transitions, start, end;
  explicit CrfLayer(const LayerConfig& c) {
    const int64_t k = c.need("inDim");
    transitions = register_parameter("transitions", torch::empty({k, k}).uniform_(-0.1, 0.1));
    start = register_parameter("start", torch::empty({k}).uniform_(-0.1, 0.1));
    end = register_parameter("end", torch::empty({k}).uniform_(-0.1, 0.1));
  }
  void forward(State&) override {}  // emissions pass through; decoding happens in TypeScript
};

torch::Tensor crfNll(const torch::Tensor& em, const torch::Tensor& tagsIn, const torch::Tensor& maskIn,
                     const torch::Tensor& trans, const torch::Tensor& start, const torch::Tensor& end) {
  const auto T = em.size(1), K = em.size(2);
  auto tags = tagsIn.clamp(0, K - 1);
  auto mask = maskIn.clone();
  mask.select(1, 0).fill_(true);  // an all-padding row still scores its first position
  auto maskF = mask.to(em.scalar_type());
  // Score of the gold path, vectorised over time.
  auto first = tags.select(1, 0);
  auto score = start.index_select(0, first) + em.select(1, 0).gather(1, first.unsqueeze(1)).squeeze(1);
  if (T > 1) {
    auto prev = tags.slice(1, 0, T - 1), cur = tags.slice(1, 1, T);
    auto steps = trans.index({prev, cur}) + em.slice(1, 1, T).gather(2, cur.unsqueeze(2)).squeeze(2);  // [B,T-1]
    score = score + (steps * maskF.slice(1, 1, T)).sum(1);
  }
  auto lastIdx = mask.to(torch::kLong).sum(1) - 1;
  auto lastTag = tags.gather(1, lastIdx.unsqueeze(1)).squeeze(1);
  score = score + end.index_select(0, lastTag);
  // Partition function by the forward algorithm.
  auto alpha = start.unsqueeze(0) + em.select(1, 0);  // [B,K]
  for (int64_t t = 1; t < T; ++t) {
    auto next = torch::logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0) + em.select(1, t).unsqueeze(1), 1);
    alpha = torch::where(mask.select(1, t).unsqueeze(1), next, alpha);
  }
  auto logZ = torch::logsumexp(alpha + end.unsqueeze(0), 1);
  return (logZ - score).mean();
}

Net::Net(const NetConfig& config) : cfg(config) {
  for (const auto& c : cfg.layers) {
    std::shared_ptr<Layer> layer;
    if (c.type == "embedding") layer = std::make_shared<EmbeddingLayer>(cfg, c);
    else if (c.type == "position") layer = std::make_shared<PositionLayer>(cfg, c);
    else if (c.type == "conv1d") layer = std::make_shared<Conv1dLayer>(c);
    else if (c.type == "lstm" || c.type == "gru") layer = std::make_shared<RnnLayer>(c);
    else if (c.type == "transformer") layer = std::make_shared<TransformerLayer>(c);
    else if (c.type == "attention_pool") layer = std::make_shared<AttentionPoolLayer>(c);
    else if (c.type == "linear") layer = std::make_shared<LinearLayer>(c);
    else if (c.type == "layer_norm") layer = std::make_shared<LayerNormLayer>(c);
    else if (c.type == "dropout") layer = std::make_shared<DropoutLayer>(c);
    else if (c.type == "activation") layer = std::make_shared<ActivationLayer>(c);
    else if (c.type == "pool") layer = std::make_shared<PoolLayer>(c);
    else if (c.type == "crf") {
      crf = std::make_shared<CrfLayer>(c);
      layer = crf;
    } else throw std::invalid_argument("layer '" + c.name + "': unknown type '" + c.type + "'");
    layer->cfg = c;
    register_module(c.name, layer);
    layers.push_back(layer);
  }
}

State Net::forward(const torch::Tensor& input, bool keepEmbedded) {
  State s;
  s.x = input;
  if (cfg.inputKind == "tokens") {
    s.mask = input.ne(cfg.padId);
    s.lengths = s.mask.to(torch::kLong).sum(1).clamp_min(1);
  }
  bool first = true;
  for (auto& layer : layers) {
    if (first && keepEmbedded && cfg.inputKind == "features") {
      s.x = s.x.detach().requires_grad_(true);
      s.embedded = s.x;
    }
    layer->forward(s);
    if (first && keepEmbedded && cfg.inputKind == "tokens") {
      // Cut the graph here so gradients flow to this tensor rather than to the embedding table.
      s.x = s.x.detach().requires_grad_(true);
      s.embedded = s.x;
    }
    first = false;
  }
  return s;
}

torch::Tensor Net::loss(State& s, const torch::Tensor& labels, const torch::Tensor& classWeights) {
  if (cfg.task == "classification") {
    auto opts = F::CrossEntropyFuncOptions();
    if (classWeights.defined()) opts.weight(classWeights);
    return F::cross_entropy(s.x, labels, opts);
  }
  if (cfg.task == "multilabel") {
    auto opts = F::BinaryCrossEntropyWithLogitsFuncOptions();
    if (classWeights.defined()) opts.pos_weight(classWeights);
    return F::binary_cross_entropy_with_logits(s.x, labels, opts);
  }
  // tagging
  if (crf) return crfNll(s.x, labels, s.mask, crf->transitions, crf->start, crf->end);
  const auto K = s.x.size(-1);
  auto target = labels.masked_fill(s.mask.logical_not(), -100).reshape({-1});
  auto opts = F::CrossEntropyFuncOptions().ignore_index(-100);
  if (classWeights.defined()) opts.weight(classWeights);
  return F::cross_entropy(s.x.reshape({-1, K}), target, opts);
}

}  // namespace tmnet
