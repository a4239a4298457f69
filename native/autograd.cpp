// Autograd beyond backward(): autograd.grad, tensor hooks (gradient, post-accumulate-grad),
// graph-node post hooks, anomaly mode, and custom functions whose backward is a JS function.
//
// JS callbacks run synchronously inside the autograd engine. For CPU graphs the engine runs on
// the thread that called backward()/grad(), which is the JS thread that owns the callback; a
// callback reached from any other thread (a CUDA device thread) is refused with an error.
#include "binding/binding.h"

#include <algorithm>
#include <mutex>
#include <sstream>
#include <thread>

#include <torch/csrc/autograd/anomaly_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>

#include "compat/post-accumulate-grad.h"

namespace pst {
namespace {

using torch::autograd::variable_list;

// A JS function held by an autograd object. Those objects die wherever libtorch drops them
// (inside a GC finalizer, on another thread), where N-API may not be called: the reference is
// handed to a queue that the next call from JS empties.
std::mutex g_release_mutex;
std::vector<std::pair<napi_env, napi_ref>> g_release;

void flush_releases() {
  std::vector<std::pair<napi_env, napi_ref>> pending;
  {
    std::lock_guard<std::mutex> lock(g_release_mutex);
    pending.swap(g_release);
  }
  for (auto& [env, ref] : pending) napi_delete_reference(env, ref);
}

struct JsCallback {
  napi_env env;
  napi_ref ref;
  std::thread::id thread;
  JsCallback(napi_env e, napi_value fn) : env(e), ref(nullptr), thread(std::this_thread::get_id()) {
    check(napi_create_reference(env, fn, 1, &ref), "reference");
  }
  ~JsCallback() {
    std::lock_guard<std::mutex> lock(g_release_mutex);
    g_release.emplace_back(env, ref);
  }

  // Calls the function with `args`. Its JS exception is left pending (untouched, for the export
  // that started the graph to return) and a C++ error unwinds libtorch's engine to it.
  Napi::Value call(const char* what, const std::vector<napi_value>& args) const {
    if (std::this_thread::get_id() != thread) {
      throw std::runtime_error(std::string(what) +
                               ": a JS callback was reached from a libtorch worker thread (a CUDA backward); "
                               "JS hooks and custom functions run only for graphs executed on the JS thread");
    }
    napi_value fn;
    check(napi_get_reference_value(env, ref, &fn), "reference value");
    try {
      return Napi::Function(env, fn).Call(Napi::Env(env).Global(), args);
    } catch (const Napi::Error& e) {
      e.ThrowAsJavaScriptException();
      throw std::runtime_error(std::string(what) + ": the JS callback threw");
    }
  }
};

// A gradient-count argument (gradOutputs, gradTensors) must pair one to one with its tensors.
void check_pairing(const std::vector<at::Tensor>& grads, const std::vector<at::Tensor>& tensors, const char* what,
                   const char* grads_name, const char* tensors_name) {
  if (grads.size() != tensors.size()) {
    throw JsError(std::string(what) + ": " + grads_name + " has " + std::to_string(grads.size()) + " entries for " +
                      std::to_string(tensors.size()) + " " + tensors_name,
                  JsError::Range);
  }
}

c10::optional<bool> optional_bool_arg(Napi::Value v, const char* name) {
  if (is_nullish(v.Env(), v)) return c10::nullopt;
  return bool_arg(v.Env(), v, name);
}

// A JS callback argument (hooks, custom backward).
napi_value function_arg(Napi::Value v, const char* message) {
  if (!v.IsFunction()) throw JsError(message, JsError::Type);
  return v;
}

// Gradients returned by a JS hook or backward: an array of `count` tensors or nullish entries.
variable_list returned_gradients(Napi::Value result, size_t count, const std::string& not_array,
                                 const std::string& wrong_count_prefix, const char* count_suffix) {
  if (!result.IsArray()) throw std::runtime_error(not_array);
  auto array = result.As<Napi::Array>();
  uint32_t n = array.Length();
  if (n != count) {
    throw std::runtime_error(wrong_count_prefix + std::to_string(n) + " gradients for " + std::to_string(count) +
                             count_suffix);
  }
  variable_list out(n);
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value e = array.Get(i);
    if (!is_nullish(result.Env(), e)) out[i] = tensor_arg(result.Env(), e, "gradient");
  }
  return out;
}

// autogradGrad(outputs[], inputs[], gradOutputs[]|undefined, retainGraph?, createGraph, allowUnused)
Napi::Value autograd_grad(const Napi::CallbackInfo& info) {
  flush_releases();
  auto outputs = tensor_list_arg(info[0], "outputs");
  auto inputs = tensor_list_arg(info[1], "inputs");
  std::vector<at::Tensor> grad_outputs;
  if (!is_nullish(info.Env(), info[2])) {
    grad_outputs = tensor_list_arg(info[2], "gradOutputs", true);
    check_pairing(grad_outputs, outputs, "autograd.grad", "gradOutputs", "outputs");
  }
  auto retain = optional_bool_arg(info[3], "retainGraph");
  bool create = optional_bool_arg(info[4], "createGraph").value_or(false);
  bool allow_unused = optional_bool_arg(info[5], "allowUnused").value_or(false);
  return tensor_array(info.Env(), torch::autograd::grad(outputs, inputs, grad_outputs, retain, create, allow_unused));
}

// autogradBackward(tensors[], gradTensors[]|undefined, retainGraph?, createGraph, inputs[]|undefined)
Napi::Value autograd_backward(const Napi::CallbackInfo& info) {
  flush_releases();
  auto tensors = tensor_list_arg(info[0], "tensors");
  std::vector<at::Tensor> grads;
  if (!is_nullish(info.Env(), info[1])) {
    grads = tensor_list_arg(info[1], "gradTensors", true);
    check_pairing(grads, tensors, "autograd.backward", "gradTensors", "tensors");
  }
  auto retain = optional_bool_arg(info[2], "retainGraph");
  bool create = optional_bool_arg(info[3], "createGraph").value_or(false);
  std::vector<at::Tensor> inputs;
  if (!is_nullish(info.Env(), info[4])) inputs = tensor_list_arg(info[4], "inputs");
  BackwardScope reducing;
  torch::autograd::backward(tensors, grads, retain, create, inputs);
  return info.Env().Undefined();
}

// registerHook(tensor, fn(gradHandle) -> handle | undefined) -> hook id (for removeHook)
Napi::Value register_hook(const Napi::CallbackInfo& info) {
  flush_releases();
  auto& t = tensor_arg(info, 0);
  if (!t.requires_grad()) throw JsError("registerHook: cannot register a hook on a tensor that doesn't require gradient");
  auto cb = std::make_shared<JsCallback>(info.Env(), function_arg(info[1], "registerHook: the hook must be a function"));
  unsigned pos = t.register_hook([cb](const at::Tensor& grad) -> at::Tensor {
    Napi::HandleScope scope(cb->env);
    Napi::Value result = cb->call("tensor hook", {wrap_optional(cb->env, grad)});
    if (!is_tensor_handle(cb->env, result)) return at::Tensor();  // keep the gradient as is
    return tensor_arg(cb->env, result, "hook result");
  });
  return Napi::Number::New(info.Env(), pos);
}

Napi::Value remove_hook(const Napi::CallbackInfo& info) {
  tensor_arg(info, 0).remove_hook(static_cast<unsigned>(int_arg(info.Env(), info[1], "hook")));
  flush_releases();
  return info.Env().Undefined();
}

// A post hook of a graph node (Python's grad_fn.register_hook): called with the gradients the
// node computed for its inputs and those it received; an array returned replaces the former.
struct JsNodePostHook : torch::autograd::FunctionPostHook {
  std::shared_ptr<JsCallback> hook;
  explicit JsNodePostHook(std::shared_ptr<JsCallback> cb) : hook(std::move(cb)) {}

  variable_list operator()(const variable_list& grad_inputs, const variable_list& grad_outputs) override {
    Napi::Env env(hook->env);
    Napi::HandleScope scope(env);
    Napi::Value result = hook->call("module backward hook", {tensor_array(env, grad_inputs), tensor_array(env, grad_outputs)});
    if (is_nullish(env, result)) return grad_inputs;
    return returned_gradients(result, grad_inputs.size(), "a backward hook must return an array of gradients or nothing",
                              "a backward hook returned ", " inputs");
  }
};

// registerNodePostHook(tensor, fn(gradInputs[], gradOutputs[]) -> array | undefined): on the node
// that made `tensor` (its grad_fn); kept as long as the graph.
Napi::Value register_node_post_hook(const Napi::CallbackInfo& info) {
  flush_releases();
  const auto& node = tensor_arg(info, 0).grad_fn();
  if (!node) throw JsError("registerNodePostHook: the tensor has no grad_fn (a leaf or a tensor outside the graph)");
  napi_value fn = function_arg(info[1], "registerNodePostHook: the hook must be a function");
  node->add_post_hook(std::make_unique<JsNodePostHook>(std::make_shared<JsCallback>(info.Env(), fn)));
  return info.Env().Undefined();
}

// A key naming a graph node (null for none): node identity, as Python compares grad_fn objects.
Napi::Value node_key(Napi::Env env, const torch::autograd::Node* node) {
  if (node == nullptr) return env.Null();
  std::ostringstream key;
  key << static_cast<const void*>(node);
  return Napi::String::New(env, key.str());
}

// gradFnKeys(tensors[]) -> the key of each tensor's grad_fn node.
Napi::Value grad_fn_keys(const Napi::CallbackInfo& info) {
  auto tensors = tensor_list_arg(info[0], "tensors");
  auto keys = Napi::Array::New(info.Env(), tensors.size());
  for (size_t i = 0; i < tensors.size(); i++) keys.Set(static_cast<uint32_t>(i), node_key(info.Env(), tensors[i].grad_fn().get()));
  return keys;
}

// nextFunctionKeys(tensor) -> the keys of its grad_fn's next functions (null for an edge to nothing).
Napi::Value next_function_keys(const Napi::CallbackInfo& info) {
  const auto& node = tensor_arg(info, 0).grad_fn();
  if (!node) throw JsError("nextFunctionKeys: the tensor has no grad_fn");
  const auto& edges = node->next_edges();
  auto keys = Napi::Array::New(info.Env(), edges.size());
  for (size_t i = 0; i < edges.size(); i++) keys.Set(static_cast<uint32_t>(i), node_key(info.Env(), edges[i].function.get()));
  return keys;
}

#if PST_HAS_POST_ACCUMULATE_GRAD_HOOKS
// A leaf's one PostAccumulateGradHook: the JS hooks registered on it, in order (Python keeps them
// in an ordered dict on the tensor and installs one dispatcher the same way).
struct JsPostAccumulateGradHooks : torch::autograd::PostAccumulateGradHook {
  std::vector<std::pair<int64_t, std::shared_ptr<JsCallback>>> hooks;
  int64_t next_id = 0;

  void operator()(const torch::autograd::Variable&) override {
    auto snapshot = hooks;  // a hook may remove itself
    for (auto& [id, cb] : snapshot) {
      Napi::HandleScope scope(cb->env);
      cb->call("post accumulate grad hook", {});
    }
  }
};

JsPostAccumulateGradHooks& js_post_accumulate_grad_hooks(const at::Tensor& t) {
  auto& slot = torch::autograd::impl::post_acc_grad_hooks(t);
  if (!slot) torch::autograd::impl::set_post_acc_grad_hooks(t, std::make_unique<JsPostAccumulateGradHooks>());
  auto* ours = dynamic_cast<JsPostAccumulateGradHooks*>(torch::autograd::impl::post_acc_grad_hooks(t).get());
  if (ours == nullptr) throw JsError("registerPostAccumulateGradHook: the tensor holds a post-accumulate-grad hook set outside pystematic");
  return *ours;
}
#endif

// registerPostAccumulateGradHook(tensor, fn()) -> hook id (for removePostAccumulateGradHook)
Napi::Value register_post_accumulate_grad_hook(const Napi::CallbackInfo& info) {
  flush_releases();
#if PST_HAS_POST_ACCUMULATE_GRAD_HOOKS
  auto& t = tensor_arg(info, 0);
  napi_value fn = function_arg(info[1], "registerPostAccumulateGradHook: the hook must be a function");
  auto& hooks = js_post_accumulate_grad_hooks(t);
  int64_t id = hooks.next_id++;
  hooks.hooks.emplace_back(id, std::make_shared<JsCallback>(info.Env(), fn));
  return Napi::Number::New(info.Env(), static_cast<double>(id));
#else
  throw JsError("registerPostAccumulateGradHook needs libtorch 2.1 or newer; this is " TORCH_VERSION);
#endif
}

Napi::Value remove_post_accumulate_grad_hook(const Napi::CallbackInfo& info) {
#if PST_HAS_POST_ACCUMULATE_GRAD_HOOKS
  auto& t = tensor_arg(info, 0);
  int64_t id = int_arg(info.Env(), info[1], "hook");
  auto* ours = dynamic_cast<JsPostAccumulateGradHooks*>(torch::autograd::impl::post_acc_grad_hooks(t).get());
  if (ours != nullptr) {
    auto& hooks = ours->hooks;
    hooks.erase(std::remove_if(hooks.begin(), hooks.end(), [id](const auto& entry) { return entry.first == id; }), hooks.end());
  }
#endif
  flush_releases();
  return info.Env().Undefined();
}

Napi::Value set_anomaly_enabled(const Napi::CallbackInfo& info) {
  bool previous = torch::autograd::AnomalyMode::is_enabled();
  torch::autograd::AnomalyMode::set_enabled(bool_arg(info.Env(), info[0], "enabled"));
  return Napi::Boolean::New(info.Env(), previous);
}

Napi::Value is_anomaly_enabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::autograd::AnomalyMode::is_enabled());
}

// The graph node of a custom function: its backward is a JS function taking the output
// gradients (handles) and returning one gradient (or undefined) per tensor input.
struct JsFunctionNode : torch::autograd::Node {
  std::shared_ptr<JsCallback> backward;
  std::string label;
  bool materialize_grads = true;

  std::string name() const override { return label; }

  variable_list apply(variable_list&& grads) override {
    Napi::Env env(backward->env);
    Napi::HandleScope scope(env);
    for (size_t i = 0; i < grads.size(); i++) {
      // Gradients of unused outputs arrive undefined: JS sees zeros, as Python's
      // materialize_grads default, or undefined where the caller asked (a module's backward hooks).
      if (materialize_grads && !grads[i].defined() && !input_metadata(i).is_tensor_subclass()) {
        grads[i] = input_metadata(i).zeros_like();
      }
    }
    Napi::Value result = backward->call(label.c_str(), {tensor_array(env, grads)});
    // the engine checks the gradients' shapes (validate_outputs)
    return returned_gradients(result, num_outputs(), label + ": backward must return an array of gradients",
                              label + ": backward returned ", " tensor inputs");
  }
};

// functionAttach(inputs[], outputs[], backward, name, materializeGrads = true) -> new output handles
// joined to the graph through a JsFunctionNode (outputs of a forward that ran with grad off).
Napi::Value function_attach(const Napi::CallbackInfo& info) {
  flush_releases();
  auto inputs = tensor_list_arg(info[0], "inputs");
  auto outputs = tensor_list_arg(info[1], "outputs");
  napi_value backward = function_arg(info[2], "autograd.Function: backward must be a function");
  std::string label = string_arg(info.Env(), info[3], "name");
  bool needs_graph = at::GradMode::is_enabled() &&
                     std::any_of(inputs.begin(), inputs.end(), [](const at::Tensor& t) { return t.requires_grad(); });
  if (!needs_graph) return tensor_array(info.Env(), outputs);
  auto node = std::shared_ptr<JsFunctionNode>(new JsFunctionNode(), torch::autograd::deleteNode);
  node->backward = std::make_shared<JsCallback>(info.Env(), backward);
  node->label = label;
  node->materialize_grads = optional_bool_arg(info[4], "materializeGrads").value_or(true);
  node->set_next_edges(torch::autograd::collect_next_edges(inputs));
  std::vector<at::Tensor> results(outputs.size());
  for (size_t i = 0; i < outputs.size(); i++) {
    at::Tensor out = outputs[i].detach();  // a fresh TensorImpl: an input returned as is gets its own history
    if (at::isFloatingType(out.scalar_type()) || at::isComplexType(out.scalar_type())) {
      torch::autograd::create_gradient_edge(out, node);
    } else {
      node->add_input_metadata(torch::autograd::Node::undefined_input());
    }
    results[i] = out;
  }
  return tensor_array(info.Env(), results);
}

// ---- backward, grad mode, inference mode ----

// backward(self, gradient?, retainGraph?, createGraph?)
Napi::Value backward(const Napi::CallbackInfo& info) {
  auto& t = tensor_arg(info, 0);
  at::Tensor gradient;
  if (!is_nullish(info.Env(), info[1])) gradient = tensor_arg(info, 1, "gradient");
  auto retain = optional_bool_arg(info[2], "retainGraph");
  bool create = optional_bool_arg(info[3], "createGraph").value_or(false);
  BackwardScope reducing;
  t.backward(gradient, retain, create);
  return info.Env().Undefined();
}
Napi::Value set_grad_enabled(const Napi::CallbackInfo& info) {
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(bool_arg(info.Env(), info[0], "enabled"));
  return Napi::Boolean::New(info.Env(), previous);
}
Napi::Value is_grad_enabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::GradMode::is_enabled());
}

// Inference mode is an RAII guard in C++; JS enters and exits it around a callback, so the
// guards live on a stack here (exit pops the innermost).
std::vector<std::unique_ptr<c10::InferenceMode>> g_inference_guards;
Napi::Value enter_inference_mode(const Napi::CallbackInfo& info) {
  g_inference_guards.push_back(std::make_unique<c10::InferenceMode>(bool_arg(info.Env(), info[0], "enabled")));
  return info.Env().Undefined();
}
Napi::Value exit_inference_mode(const Napi::CallbackInfo& info) {
  if (!g_inference_guards.empty()) g_inference_guards.pop_back();
  return info.Env().Undefined();
}
Napi::Value is_inference_mode_enabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::InferenceMode::is_enabled());
}
Napi::Value is_inference(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), tensor_arg(info, 0).is_inference());
}

}  // namespace

void register_autograd_exports(napi_env env, napi_value exports) {
  Napi::Object ex(env, exports);
  define_op<backward>(ex, "backward");
  define_op<set_grad_enabled>(ex, "setGradEnabled");
  define_op<is_grad_enabled>(ex, "isGradEnabled");
  define_op<enter_inference_mode>(ex, "enterInferenceMode");
  define_op<exit_inference_mode>(ex, "exitInferenceMode");
  define_op<is_inference_mode_enabled>(ex, "isInferenceModeEnabled");
  define_op<is_inference>(ex, "isInference");
  define_op<autograd_grad>(ex, "autogradGrad");
  define_op<autograd_backward>(ex, "autogradBackward");
  define<register_hook>(ex, "registerHook");
  define<remove_hook>(ex, "removeHook");
  define<set_anomaly_enabled>(ex, "setAnomalyEnabled");
  define<is_anomaly_enabled>(ex, "isAnomalyEnabled");
  define<function_attach>(ex, "functionAttach");
  define<register_node_post_hook>(ex, "registerNodePostHook");
  define<grad_fn_keys>(ex, "gradFnKeys");
  define<next_function_keys>(ex, "nextFunctionKeys");
  define<register_post_accumulate_grad_hook>(ex, "registerPostAccumulateGradHook");
  define<remove_post_accumulate_grad_hook>(ex, "removePostAccumulateGradHook");
}

}  // namespace pst
