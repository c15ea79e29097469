// N-API surface of the training engine. Heavy calls (train steps, prediction, input gradients)
// run in Napi::AsyncWorker on libuv's pool; their inputs are copied into tensors on the main
// thread first, so JS may reuse its typed arrays as soon as the call returns.
#include <napi.h>

#include <ATen/CPUGeneratorImpl.h>

#include <atomic>
#include <mutex>
#include <cstring>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "net.h"

namespace {

using tmnet::Net;

std::string torchMessage(const std::exception& e) {
  if (auto* ce = dynamic_cast<const c10::Error*>(&e)) return ce->what_without_backtrace();
  return e.what();
}

tmnet::LayerConfig readLayer(const Napi::Object& o) {
  tmnet::LayerConfig c;
  auto keys = o.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string k = keys.Get(i).As<Napi::String>();
    Napi::Value v = o.Get(k);
    if (v.IsNumber()) c.num[k] = v.As<Napi::Number>().DoubleValue();
    else if (v.IsBoolean()) c.num[k] = v.As<Napi::Boolean>().Value() ? 1 : 0;
    else if (v.IsString()) c.str[k] = v.As<Napi::String>().Utf8Value();
  }
  c.type = c.text("type", "");
  c.name = c.text("name", "");
  return c;
}

tmnet::NetConfig readConfig(const Napi::Object& o) {
  tmnet::NetConfig c;
  auto input = o.Get("input").As<Napi::Object>();
  c.inputKind = input.Get("kind").As<Napi::String>();
  auto num = [](const Napi::Object& obj, const char* k) -> int64_t {
    auto v = obj.Get(k);
    return v.IsNumber() ? v.As<Napi::Number>().Int64Value() : 0;
  };
  c.seqLen = num(input, "seqLen");
  c.vocabSize = num(input, "vocabSize");
  c.padId = num(input, "padId");
  c.featureDim = num(input, "dim");
  c.task = o.Get("task").As<Napi::String>();
  c.numLabels = o.Get("labels").As<Napi::Array>().Length();
  auto layers = o.Get("layers").As<Napi::Array>();
  for (uint32_t i = 0; i < layers.Length(); ++i) c.layers.push_back(readLayer(layers.Get(i).As<Napi::Object>()));
  return c;
}

// Typed array → tensor of `rows` samples (a copy).
torch::Tensor inputTensor(const Napi::Value& v, const tmnet::NetConfig& cfg) {
  if (cfg.inputKind == "tokens") {
    auto a = v.As<Napi::Int32Array>();
    const int64_t n = static_cast<int64_t>(a.ElementLength()) / cfg.seqLen;
    return torch::from_blob(a.Data(), {n, cfg.seqLen}, torch::kInt32).to(torch::kLong);
  }
  auto a = v.As<Napi::Float32Array>();
  const int64_t n = static_cast<int64_t>(a.ElementLength()) / cfg.featureDim;
  return torch::from_blob(a.Data(), {n, cfg.featureDim}, torch::kFloat32).clone();
}

torch::Tensor labelTensor(const Napi::Value& v, const tmnet::NetConfig& cfg, int64_t n) {
  if (cfg.task == "multilabel") {
    auto a = v.As<Napi::Float32Array>();
    return torch::from_blob(a.Data(), {n, cfg.numLabels}, torch::kFloat32).clone();
  }
  auto a = v.As<Napi::Int32Array>();
  if (cfg.task == "tagging") return torch::from_blob(a.Data(), {n, cfg.seqLen}, torch::kInt32).to(torch::kLong);
  return torch::from_blob(a.Data(), {n}, torch::kInt32).to(torch::kLong);
}

Napi::Float32Array toFloat32(Napi::Env env, const torch::Tensor& t) {
  auto c = t.detach().to(torch::kFloat32).contiguous();
  auto out = Napi::Float32Array::New(env, c.numel());
  std::memcpy(out.Data(), c.data_ptr<float>(), c.numel() * sizeof(float));
  return out;
}

struct Engine {
  std::shared_ptr<Net> net;
  std::unique_ptr<torch::optim::Optimizer> opt;
  std::string optName;
  std::vector<double> groupScale;
  double clipNorm = 0;
  torch::Tensor classWeights;
  std::atomic<bool> busy{false};
};

class BusyGuard {
 public:
  explicit BusyGuard(Engine& e) : e_(e) {}
  ~BusyGuard() { e_.busy = false; }
 private:
  Engine& e_;
};

class TrainWorker : public Napi::AsyncWorker {
 public:
  TrainWorker(Napi::Env env, std::shared_ptr<Engine> e, torch::Tensor x, torch::Tensor y)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), e_(std::move(e)), x_(std::move(x)), y_(std::move(y)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    BusyGuard guard(*e_);
    try {
      auto& net = *e_->net;
      net.train();
      for (auto& p : net.parameters()) p.mutable_grad().reset();
      auto s = net.forward(x_);
      auto loss = net.loss(s, y_, e_->classWeights);
      loss.backward();
      if (e_->clipNorm > 0) {
        std::vector<torch::Tensor> withGrad;
        for (auto& p : net.parameters()) if (p.grad().defined()) withGrad.push_back(p);
        torch::nn::utils::clip_grad_norm_(withGrad, e_->clipNorm);
      }
      e_->opt->step();
      loss_ = loss.item<double>();
    } catch (const std::exception& ex) {
      SetError(torchMessage(ex));
    }
  }
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), loss_)); }
  void OnError(const Napi::Error& err) override { deferred_.Reject(err.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Engine> e_;
  torch::Tensor x_, y_;
  double loss_ = 0;
};

class PredictWorker : public Napi::AsyncWorker {
 public:
  PredictWorker(Napi::Env env, std::shared_ptr<Engine> e, torch::Tensor x, int64_t batch)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), e_(std::move(e)), x_(std::move(x)), batch_(batch) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    BusyGuard guard(*e_);
    try {
      torch::InferenceMode mode;
      auto& net = *e_->net;
      net.eval();
      std::vector<torch::Tensor> outs, atts;
      for (int64_t i = 0; i < x_.size(0); i += batch_) {
        auto s = net.forward(x_.slice(0, i, std::min(i + batch_, x_.size(0))));
        outs.push_back(s.x);
        if (s.attention.defined()) atts.push_back(s.attention);
      }
      out_ = torch::cat(outs, 0);
      if (!atts.empty()) att_ = torch::cat(atts, 0);
    } catch (const std::exception& ex) {
      SetError(torchMessage(ex));
    }
  }
  void OnOK() override {
    auto env = Env();
    auto r = Napi::Object::New(env);
    r.Set("output", toFloat32(env, out_));
    if (att_.defined()) r.Set("attention", toFloat32(env, att_));
    deferred_.Resolve(r);
  }
  void OnError(const Napi::Error& err) override { deferred_.Reject(err.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Engine> e_;
  torch::Tensor x_, out_, att_;
  int64_t batch_;
};

// d(loss)/d(embedding output) for token models, d(loss)/d(input) for feature models.
class InputGradWorker : public Napi::AsyncWorker {
 public:
  InputGradWorker(Napi::Env env, std::shared_ptr<Engine> e, torch::Tensor x, torch::Tensor y)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), e_(std::move(e)), x_(std::move(x)), y_(std::move(y)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    BusyGuard guard(*e_);
    try {
      auto& net = *e_->net;
      net.eval();
      auto s = net.forward(x_, true);
      auto loss = net.loss(s, y_, e_->classWeights);
      grad_ = torch::autograd::grad({loss}, {s.embedded})[0];
      emb_ = s.embedded.detach();
      loss_ = loss.item<double>();
      std::vector<int64_t> shape(emb_.sizes().begin(), emb_.sizes().end());
      shape_ = shape;
    } catch (const std::exception& ex) {
      SetError(torchMessage(ex));
    }
  }
  void OnOK() override {
    auto env = Env();
    auto r = Napi::Object::New(env);
    r.Set("loss", loss_);
    r.Set("gradient", toFloat32(env, grad_));
    r.Set("embedded", toFloat32(env, emb_));
    auto shape = Napi::Array::New(env, shape_.size());
    for (size_t i = 0; i < shape_.size(); ++i) shape.Set(i, Napi::Number::New(env, static_cast<double>(shape_[i])));
    r.Set("shape", shape);
    deferred_.Resolve(r);
  }
  void OnError(const Napi::Error& err) override { deferred_.Reject(err.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<Engine> e_;
  torch::Tensor x_, y_, grad_, emb_;
  std::vector<int64_t> shape_;
  double loss_ = 0;
};

class Model : public Napi::ObjectWrap<Model> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Model", {
      InstanceMethod("configureOptimizer", &Model::ConfigureOptimizer),
      InstanceMethod("setLearningRate", &Model::SetLearningRate),
      InstanceMethod("trainStep", &Model::TrainStep),
      InstanceMethod("predict", &Model::Predict),
      InstanceMethod("inputGradient", &Model::InputGradient),
      InstanceMethod("parameters", &Model::Parameters),
      InstanceMethod("setParameters", &Model::SetParameters),
      InstanceMethod("setTrainable", &Model::SetTrainable),
      InstanceMethod("optimizerState", &Model::OptimizerState),
      InstanceMethod("setOptimizerState", &Model::SetOptimizerState),
    });
  }

  explicit Model(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Model>(info) {
    auto env = info.Env();
    if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsNumber()) {
      Napi::TypeError::New(env, "Model(spec, seed) expects a normalised spec object and a seed").ThrowAsJavaScriptException();
      return;
    }
    try {
      torch::manual_seed(info[1].As<Napi::Number>().Int64Value());
      e_ = std::make_shared<Engine>();
      e_->net = std::make_shared<Net>(readConfig(info[0].As<Napi::Object>()));
    } catch (const std::exception& ex) {
      Napi::Error::New(env, torchMessage(ex)).ThrowAsJavaScriptException();
    }
  }

 private:
  std::shared_ptr<Engine> e_;

  bool claim(Napi::Env env) {
    bool expected = false;
    if (!e_->busy.compare_exchange_strong(expected, true)) {
      Napi::Error::New(env, "model is busy: await the previous call before starting another").ThrowAsJavaScriptException();
      return false;
    }
    return true;
  }

  // configureOptimizer({ name, lr, weightDecay, momentum, beta1, beta2, eps, clipNorm, classWeights?,
  //                      groups: [{ params: string[], scale }] })
  Napi::Value ConfigureOptimizer(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto o = info[0].As<Napi::Object>();
    auto numOr = [&](const char* k, double d) { auto v = o.Get(k); return v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : d; };
    const std::string name = o.Get("name").As<Napi::String>();
    const double lr = numOr("lr", 1e-3), wd = numOr("weightDecay", 0), mom = numOr("momentum", 0);
    const double b1 = numOr("beta1", 0.9), b2 = numOr("beta2", 0.999), eps = numOr("eps", 1e-8);
    e_->clipNorm = numOr("clipNorm", 0);
    auto cw = o.Get("classWeights");
    if (cw.IsTypedArray()) {
      auto a = cw.As<Napi::Float32Array>();
      e_->classWeights = torch::from_blob(a.Data(), {static_cast<int64_t>(a.ElementLength())}, torch::kFloat32).clone();
    } else {
      e_->classWeights = torch::Tensor();
    }
    auto named = e_->net->named_parameters();
    std::vector<torch::optim::OptimizerParamGroup> groups;
    std::vector<double> scales;
    std::set<std::string> taken;
    auto groupsV = o.Get("groups");
    if (groupsV.IsArray()) {
      auto arr = groupsV.As<Napi::Array>();
      for (uint32_t i = 0; i < arr.Length(); ++i) {
        auto g = arr.Get(i).As<Napi::Object>();
        auto names = g.Get("params").As<Napi::Array>();
        std::vector<torch::Tensor> ps;
        for (uint32_t j = 0; j < names.Length(); ++j) {
          std::string n = names.Get(j).As<Napi::String>();
          auto* p = named.find(n);
          if (!p) { Napi::Error::New(env, "optimizer group: no parameter named '" + n + "'").ThrowAsJavaScriptException(); return env.Undefined(); }
          if (taken.insert(n).second) ps.push_back(*p);
        }
        if (ps.empty()) continue;
        groups.emplace_back(ps);
        scales.push_back(g.Get("scale").As<Napi::Number>().DoubleValue());
      }
    }
    std::vector<torch::Tensor> rest;
    for (auto& kv : named.items()) if (!taken.count(kv.key())) rest.push_back(kv.value());
    if (!rest.empty()) { groups.emplace_back(rest); scales.push_back(1.0); }
    try {
      if (name == "sgd") {
        e_->opt = std::make_unique<torch::optim::SGD>(groups, torch::optim::SGDOptions(lr).momentum(mom).weight_decay(wd));
      } else if (name == "adamw") {
        e_->opt = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(lr).betas({b1, b2}).eps(eps).weight_decay(wd));
      } else if (name == "adam") {
        e_->opt = std::make_unique<torch::optim::Adam>(groups, torch::optim::AdamOptions(lr).betas({b1, b2}).eps(eps).weight_decay(wd));
      } else {
        Napi::Error::New(env, "unknown optimizer '" + name + "'").ThrowAsJavaScriptException();
        return env.Undefined();
      }
    } catch (const std::exception& ex) {
      Napi::Error::New(env, torchMessage(ex)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    e_->optName = name;
    e_->groupScale = scales;
    applyLr(lr);
    return env.Undefined();
  }

  void applyLr(double lr) {
    auto& groups = e_->opt->param_groups();
    for (size_t i = 0; i < groups.size(); ++i) {
      const double v = lr * e_->groupScale[i];
      auto& opts = groups[i].options();
      if (e_->optName == "sgd") static_cast<torch::optim::SGDOptions&>(opts).lr(v);
      else if (e_->optName == "adamw") static_cast<torch::optim::AdamWOptions&>(opts).lr(v);
      else static_cast<torch::optim::AdamOptions&>(opts).lr(v);
    }
  }

  Napi::Value SetLearningRate(const Napi::CallbackInfo& info) {
    if (!e_->opt) { Napi::Error::New(info.Env(), "configureOptimizer first").ThrowAsJavaScriptException(); return info.Env().Undefined(); }
    applyLr(info[0].As<Napi::Number>().DoubleValue());
    return info.Env().Undefined();
  }

  // Claims the model, builds a worker from the JS arguments and queues it off the main thread.
  // An error while reading the arguments releases the claim and becomes a JS exception.
  template <typename MakeWorker>
  Napi::Value queueWorker(Napi::Env env, MakeWorker make) {
    if (!claim(env)) return env.Undefined();
    try {
      auto* w = make();
      auto p = w->Promise();
      w->Queue();
      return p;
    } catch (const std::exception& ex) {
      e_->busy = false;
      Napi::Error::New(env, torchMessage(ex)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }

  Napi::Value TrainStep(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (!e_->opt) { Napi::Error::New(env, "configureOptimizer before trainStep").ThrowAsJavaScriptException(); return env.Undefined(); }
    return queueWorker(env, [&] {
      auto x = inputTensor(info[0], e_->net->cfg);
      auto y = labelTensor(info[1], e_->net->cfg, x.size(0));
      return new TrainWorker(env, e_, x, y);
    });
  }

  Napi::Value Predict(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    return queueWorker(env, [&] {
      auto x = inputTensor(info[0], e_->net->cfg);
      const int64_t batch = info.Length() > 1 && info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : 256;
      return new PredictWorker(env, e_, x, std::max<int64_t>(1, batch));
    });
  }

  Napi::Value InputGradient(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    return queueWorker(env, [&] {
      auto x = inputTensor(info[0], e_->net->cfg);
      auto y = labelTensor(info[1], e_->net->cfg, x.size(0));
      return new InputGradWorker(env, e_, x, y);
    });
  }

  // { [name]: { shape: number[], data: Float32Array, trainable: boolean } } in registration order.
  Napi::Value Parameters(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto r = Napi::Object::New(env);
    const auto named = e_->net->named_parameters();  // keep the dict alive while iterating
    for (auto& kv : named.items()) {
      auto entry = Napi::Object::New(env);
      auto sizes = kv.value().sizes();
      auto shape = Napi::Array::New(env, sizes.size());
      for (size_t i = 0; i < sizes.size(); ++i) shape.Set(i, Napi::Number::New(env, static_cast<double>(sizes[i])));
      entry.Set("shape", shape);
      entry.Set("data", toFloat32(env, kv.value()));
      entry.Set("trainable", kv.value().requires_grad());
      r.Set(kv.key(), entry);
    }
    return r;
  }

  // setParameters({ [name]: Float32Array }): copies values in; every name must exist with the same size.
  Napi::Value SetParameters(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (e_->busy) { Napi::Error::New(env, "model is busy").ThrowAsJavaScriptException(); return env.Undefined(); }
    auto o = info[0].As<Napi::Object>();
    auto named = e_->net->named_parameters();
    auto keys = o.GetPropertyNames();
    torch::NoGradGuard g;
    for (uint32_t i = 0; i < keys.Length(); ++i) {
      std::string k = keys.Get(i).As<Napi::String>();
      auto* p = named.find(k);
      if (!p) { Napi::Error::New(env, "setParameters: no parameter named '" + k + "'").ThrowAsJavaScriptException(); return env.Undefined(); }
      auto a = o.Get(k).As<Napi::Float32Array>();
      if (static_cast<int64_t>(a.ElementLength()) != p->numel()) {
        Napi::Error::New(env, "setParameters: '" + k + "' has " + std::to_string(a.ElementLength()) + " values, expected " + std::to_string(p->numel())).ThrowAsJavaScriptException();
        return env.Undefined();
      }
      p->copy_(torch::from_blob(a.Data(), p->sizes(), torch::kFloat32));
    }
    return env.Undefined();
  }

  // Optimizer state per parameter, so a checkpoint can resume training exactly:
  // { [param]: { step, exp_avg, exp_avg_sq } } (adam, adamw) or { [param]: { momentum_buffer } } (sgd).
  // Parameters the optimizer has not stepped yet have no entry (libtorch creates state lazily).
  Napi::Value OptimizerState(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (!ready(env, "optimizerState")) return env.Undefined();
    auto r = Napi::Object::New(env);
    auto& state = e_->opt->state();
    const auto named = e_->net->named_parameters();
    for (auto& kv : named.items()) {
      auto it = state.find(c10::guts::to_string(kv.value().unsafeGetTensorImpl()));
      if (it == state.end()) continue;
      auto entry = Napi::Object::New(env);
      if (e_->optName == "sgd") {
        auto& st = static_cast<torch::optim::SGDParamState&>(*it->second);
        if (st.momentum_buffer().defined()) entry.Set("momentum_buffer", toFloat32(env, st.momentum_buffer()));
      } else if (e_->optName == "adamw") {
        adamEntry(env, entry, static_cast<torch::optim::AdamWParamState&>(*it->second));
      } else {
        adamEntry(env, entry, static_cast<torch::optim::AdamParamState&>(*it->second));
      }
      r.Set(kv.key(), entry);
    }
    return r;
  }

  // The inverse of optimizerState, for the optimizer configured now (same kind). Replaces all state.
  Napi::Value SetOptimizerState(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    if (!ready(env, "setOptimizerState")) return env.Undefined();
    auto o = info[0].As<Napi::Object>();
    auto named = e_->net->named_parameters();
    auto keys = o.GetPropertyNames();
    ska::flat_hash_map<std::string, std::unique_ptr<torch::optim::OptimizerParamState>> next;
    try {
      for (uint32_t i = 0; i < keys.Length(); ++i) {
        std::string k = keys.Get(i).As<Napi::String>();
        auto* p = named.find(k);
        if (!p) throw std::invalid_argument("setOptimizerState: no parameter named '" + k + "'");
        auto entry = o.Get(k).As<Napi::Object>();
        auto tensor = [&](const char* field) {
          auto v = entry.Get(field);
          if (!v.IsTypedArray()) throw std::invalid_argument("setOptimizerState: '" + k + "' has no " + field + " (state of another optimizer?)");
          auto a = v.As<Napi::Float32Array>();
          if (static_cast<int64_t>(a.ElementLength()) != p->numel()) {
            throw std::invalid_argument("setOptimizerState: '" + k + "." + field + "' has " + std::to_string(a.ElementLength()) + " values, expected " + std::to_string(p->numel()));
          }
          return torch::from_blob(a.Data(), p->sizes(), torch::kFloat32).clone();
        };
        auto step = [&] {
          auto v = entry.Get("step");
          if (!v.IsNumber()) throw std::invalid_argument("setOptimizerState: '" + k + "' has no step (state of another optimizer?)");
          return v.As<Napi::Number>().Int64Value();
        };
        const std::string key = c10::guts::to_string(p->unsafeGetTensorImpl());
        if (e_->optName == "sgd") {
          auto st = std::make_unique<torch::optim::SGDParamState>();
          if (entry.Get("momentum_buffer").IsTypedArray()) st->momentum_buffer(tensor("momentum_buffer"));
          next[key] = std::move(st);
        } else if (e_->optName == "adamw") {
          auto st = std::make_unique<torch::optim::AdamWParamState>();
          st->step(step()).exp_avg(tensor("exp_avg")).exp_avg_sq(tensor("exp_avg_sq"));
          next[key] = std::move(st);
        } else {
          auto st = std::make_unique<torch::optim::AdamParamState>();
          st->step(step()).exp_avg(tensor("exp_avg")).exp_avg_sq(tensor("exp_avg_sq"));
          next[key] = std::move(st);
        }
      }
    } catch (const std::exception& ex) {
      Napi::Error::New(env, torchMessage(ex)).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    e_->opt->state() = std::move(next);
    return env.Undefined();
  }

  template <typename State>
  static void adamEntry(Napi::Env env, Napi::Object& entry, const State& st) {
    entry.Set("step", Napi::Number::New(env, static_cast<double>(st.step())));
    entry.Set("exp_avg", toFloat32(env, st.exp_avg()));
    entry.Set("exp_avg_sq", toFloat32(env, st.exp_avg_sq()));
  }

  bool ready(Napi::Env env, const char* what) {
    if (!e_->opt) { Napi::Error::New(env, std::string(what) + ": configureOptimizer first").ThrowAsJavaScriptException(); return false; }
    if (e_->busy) { Napi::Error::New(env, std::string(what) + ": the model is busy").ThrowAsJavaScriptException(); return false; }
    return true;
  }

  Napi::Value SetTrainable(const Napi::CallbackInfo& info) {
    auto env = info.Env();
    auto names = info[0].As<Napi::Array>();
    const bool on = info[1].As<Napi::Boolean>().Value();
    auto named = e_->net->named_parameters();
    for (uint32_t i = 0; i < names.Length(); ++i) {
      std::string n = names.Get(i).As<Napi::String>();
      auto* p = named.find(n);
      if (!p) { Napi::Error::New(env, "setTrainable: no parameter named '" + n + "'").ThrowAsJavaScriptException(); return env.Undefined(); }
      p->set_requires_grad(on);
      if (!on) p->mutable_grad().reset();
    }
    return env.Undefined();
  }
};

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  at::set_num_threads(static_cast<int>(info[0].As<Napi::Number>().Int32Value()));
  return info.Env().Undefined();
}

// The default CPU generator's state (dropout masks, initialisation), so a resumed run draws the
// same numbers as an uninterrupted one. Process-wide, like torch.get_rng_state().
Napi::Value GetRngState(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto gen = at::detail::getDefaultCPUGenerator();
  torch::Tensor st;
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    st = gen.get_state();
  }
  auto out = Napi::Uint8Array::New(env, st.numel());
  std::memcpy(out.Data(), st.data_ptr<uint8_t>(), st.numel());
  return out;
}

Napi::Value SetRngState(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) { Napi::TypeError::New(env, "setRngState(Uint8Array)").ThrowAsJavaScriptException(); return env.Undefined(); }
  auto a = info[0].As<Napi::Uint8Array>();
  try {
    auto st = torch::from_blob(a.Data(), {static_cast<int64_t>(a.ElementLength())}, torch::kUInt8).clone();
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(st);
  } catch (const std::exception& ex) {
    Napi::Error::New(env, "setRngState: " + torchMessage(ex)).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto r = Napi::Object::New(env);
  r.Set("threads", at::get_num_threads());
  r.Set("torchVersion", TORCH_VERSION);
  r.Set("parallel", at::get_parallel_info());
  return r;
}

Napi::Object InitAll(Napi::Env env, Napi::Object exports) {
  exports.Set("Model", Model::Init(env));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads));
  exports.Set("info", Napi::Function::New(env, Info));
  exports.Set("getRngState", Napi::Function::New(env, GetRngState));
  exports.Set("setRngState", Napi::Function::New(env, SetRngState));
  return exports;
}

}  // namespace

NODE_API_MODULE(threatminer_torch, InitAll)
