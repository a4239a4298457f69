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

  // Calls the function with `args`; a JS exception stays pending and aborts the C++ caller.
  napi_value call(const char* what, size_t argc, const napi_value* argv) const {
    if (std::this_thread::get_id() != thread) {
      throw std::runtime_error(std::string(what) +
                               ": a JS callback was reached from a libtorch worker thread (a CUDA backward); "
                               "JS hooks and custom functions run only for graphs executed on the JS thread");
    }
    napi_value fn, global, result;
    check(napi_get_reference_value(env, ref, &fn), "reference value");
    check(napi_get_global(env, &global), "global");
    if (napi_call_function(env, global, fn, argc, argv, &result) != napi_ok) {
      throw std::runtime_error(std::string(what) + ": the JS callback threw");
    }
    return result;
  }
};

struct HandleScope {
  napi_env env;
  napi_handle_scope scope;
  explicit HandleScope(napi_env e) : env(e) { napi_open_handle_scope(env, &scope); }
  ~HandleScope() { napi_close_handle_scope(env, scope); }
};

std::vector<at::Tensor> tensor_list(napi_env env, napi_value v, const char* name, bool allow_missing) {
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (!is_array) throw JsError(std::string("'") + name + "' must be an array of tensors", JsError::Type);
  uint32_t n;
  napi_get_array_length(env, v, &n);
  std::vector<at::Tensor> out(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, v, i, &e);
    if (allow_missing && is_nullish(env, e)) continue;
    out[i] = tensor_arg(env, e, name);
  }
  return out;
}

napi_value tensor_array(napi_env env, const std::vector<at::Tensor>& ts) {
  napi_value arr;
  check(napi_create_array_with_length(env, ts.size(), &arr), "array");
  for (size_t i = 0; i < ts.size(); i++) check(napi_set_element(env, arr, i, wrap_optional(env, ts[i])), "set");
  return arr;
}

// autogradGrad(outputs[], inputs[], gradOutputs[]|undefined, retainGraph?, createGraph, allowUnused)
napi_value autograd_grad(napi_env env, napi_callback_info info) {
  PST_TRY
  check_interrupt(env);
  Args args(env, info);
  flush_releases();
  auto outputs = tensor_list(env, args[0], "outputs", false);
  auto inputs = tensor_list(env, args[1], "inputs", false);
  std::vector<at::Tensor> grad_outputs;
  if (!is_nullish(env, args[2])) {
    grad_outputs = tensor_list(env, args[2], "gradOutputs", true);
    if (grad_outputs.size() != outputs.size()) {
      throw JsError("autograd.grad: gradOutputs has " + std::to_string(grad_outputs.size()) + " entries for " +
                        std::to_string(outputs.size()) + " outputs",
                    JsError::Range);
    }
  }
  c10::optional<bool> retain;
  if (!is_nullish(env, args[3])) retain = bool_arg(env, args[3], "retainGraph");
  bool create = !is_nullish(env, args[4]) && bool_arg(env, args[4], "createGraph");
  bool allow_unused = !is_nullish(env, args[5]) && bool_arg(env, args[5], "allowUnused");
  auto grads = torch::autograd::grad(outputs, inputs, grad_outputs, retain, create, allow_unused);
  return tensor_array(env, grads);
  PST_CATCH(env)
}

// autogradBackward(tensors[], gradTensors[]|undefined, retainGraph?, createGraph, inputs[]|undefined)
napi_value autograd_backward(napi_env env, napi_callback_info info) {
  PST_TRY
  check_interrupt(env);
  Args args(env, info);
  flush_releases();
  auto tensors = tensor_list(env, args[0], "tensors", false);
  std::vector<at::Tensor> grads;
  if (!is_nullish(env, args[1])) {
    grads = tensor_list(env, args[1], "gradTensors", true);
    if (grads.size() != tensors.size()) {
      throw JsError("autograd.backward: gradTensors has " + std::to_string(grads.size()) + " entries for " +
                        std::to_string(tensors.size()) + " tensors",
                    JsError::Range);
    }
  }
  c10::optional<bool> retain;
  if (!is_nullish(env, args[2])) retain = bool_arg(env, args[2], "retainGraph");
  bool create = !is_nullish(env, args[3]) && bool_arg(env, args[3], "createGraph");
  std::vector<at::Tensor> inputs;
  if (!is_nullish(env, args[4])) inputs = tensor_list(env, args[4], "inputs", false);
  BackwardScope reducing;
  torch::autograd::backward(tensors, grads, retain, create, inputs);
  return make_undefined(env);
  PST_CATCH(env)
}

// registerHook(tensor, fn(gradHandle) -> handle | undefined) -> hook id (for removeHook)
napi_value register_hook(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  flush_releases();
  auto& t = tensor_arg(env, args[0], "self");
  if (!t.requires_grad()) throw JsError("registerHook: cannot register a hook on a tensor that doesn't require gradient");
  if (type_of(env, args[1]) != napi_function) throw JsError("registerHook: the hook must be a function", JsError::Type);
  auto cb = std::make_shared<JsCallback>(env, args[1]);
  unsigned pos = t.register_hook([cb](const at::Tensor& grad) -> at::Tensor {
    HandleScope scope(cb->env);
    napi_value arg = wrap_optional(cb->env, grad);
    napi_value result = cb->call("tensor hook", 1, &arg);
    if (!is_tensor_handle(cb->env, result)) return at::Tensor();  // keep the gradient as is
    return tensor_arg(cb->env, result, "hook result");
  });
  return make_int(env, pos);
  PST_CATCH(env)
}

napi_value remove_hook(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  tensor_arg(env, args[0], "self").remove_hook(static_cast<unsigned>(int_arg(env, args[1], "hook")));
  flush_releases();
  return make_undefined(env);
  PST_CATCH(env)
}

// A post hook of a graph node (Python's grad_fn.register_hook): called with the gradients the
// node computed for its inputs and those it received; an array returned replaces the former.
struct JsNodePostHook : torch::autograd::FunctionPostHook {
  std::shared_ptr<JsCallback> hook;
  explicit JsNodePostHook(std::shared_ptr<JsCallback> cb) : hook(std::move(cb)) {}

  variable_list operator()(const variable_list& grad_inputs, const variable_list& grad_outputs) override {
    napi_env env = hook->env;
    HandleScope scope(env);
    napi_value argv[2] = {tensor_array(env, grad_inputs), tensor_array(env, grad_outputs)};
    napi_value result = hook->call("module backward hook", 2, argv);
    if (is_nullish(env, result)) return grad_inputs;
    bool is_array = false;
    napi_is_array(env, result, &is_array);
    if (!is_array) throw std::runtime_error("a backward hook must return an array of gradients or nothing");
    uint32_t n;
    napi_get_array_length(env, result, &n);
    if (n != grad_inputs.size()) {
      throw std::runtime_error("a backward hook returned " + std::to_string(n) + " gradients for " +
                               std::to_string(grad_inputs.size()) + " inputs");
    }
    variable_list out(n);
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      napi_get_element(env, result, i, &e);
      if (!is_nullish(env, e)) out[i] = tensor_arg(env, e, "gradient");
    }
    return out;
  }
};

// registerNodePostHook(tensor, fn(gradInputs[], gradOutputs[]) -> array | undefined): on the node
// that made `tensor` (its grad_fn); kept as long as the graph.
napi_value register_node_post_hook(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  flush_releases();
  auto& t = tensor_arg(env, args[0], "self");
  const auto& node = t.grad_fn();
  if (!node) throw JsError("registerNodePostHook: the tensor has no grad_fn (a leaf or a tensor outside the graph)");
  if (type_of(env, args[1]) != napi_function) throw JsError("registerNodePostHook: the hook must be a function", JsError::Type);
  node->add_post_hook(std::make_unique<JsNodePostHook>(std::make_shared<JsCallback>(env, args[1])));
  return make_undefined(env);
  PST_CATCH(env)
}

std::string node_key(const torch::autograd::Node* node) {
  std::ostringstream key;
  key << static_cast<const void*>(node);
  return key.str();
}

// gradFnKeys(tensors[]) -> a key per tensor naming its grad_fn node (null for none): node identity,
// as Python compares grad_fn objects.
napi_value grad_fn_keys(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  auto tensors = tensor_list(env, args[0], "tensors", false);
  napi_value arr;
  check(napi_create_array_with_length(env, tensors.size(), &arr), "array");
  for (size_t i = 0; i < tensors.size(); i++) {
    const auto& node = tensors[i].grad_fn();
    check(napi_set_element(env, arr, i, node ? make_string(env, node_key(node.get())) : make_null(env)), "set");
  }
  return arr;
  PST_CATCH(env)
}

// nextFunctionKeys(tensor) -> the keys of its grad_fn's next functions (null for an edge to nothing).
napi_value next_function_keys(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  const auto& node = tensor_arg(env, args[0], "self").grad_fn();
  if (!node) throw JsError("nextFunctionKeys: the tensor has no grad_fn");
  const auto& edges = node->next_edges();
  napi_value arr;
  check(napi_create_array_with_length(env, edges.size(), &arr), "array");
  for (size_t i = 0; i < edges.size(); i++) {
    const auto* next = edges[i].function.get();
    check(napi_set_element(env, arr, i, next ? make_string(env, node_key(next)) : make_null(env)), "set");
  }
  return arr;
  PST_CATCH(env)
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
      HandleScope scope(cb->env);
      cb->call("post accumulate grad hook", 0, nullptr);
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
napi_value register_post_accumulate_grad_hook(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  flush_releases();
#if PST_HAS_POST_ACCUMULATE_GRAD_HOOKS
  auto& t = tensor_arg(env, args[0], "self");
  if (type_of(env, args[1]) != napi_function) throw JsError("registerPostAccumulateGradHook: the hook must be a function", JsError::Type);
  auto& hooks = js_post_accumulate_grad_hooks(t);
  int64_t id = hooks.next_id++;
  hooks.hooks.emplace_back(id, std::make_shared<JsCallback>(env, args[1]));
  return make_int(env, id);
#else
  throw JsError("registerPostAccumulateGradHook needs libtorch 2.1 or newer; this is " TORCH_VERSION);
#endif
  PST_CATCH(env)
}

napi_value remove_post_accumulate_grad_hook(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
#if PST_HAS_POST_ACCUMULATE_GRAD_HOOKS
  auto& t = tensor_arg(env, args[0], "self");
  int64_t id = int_arg(env, args[1], "hook");
  auto* ours = dynamic_cast<JsPostAccumulateGradHooks*>(torch::autograd::impl::post_acc_grad_hooks(t).get());
  if (ours != nullptr) {
    auto& hooks = ours->hooks;
    hooks.erase(std::remove_if(hooks.begin(), hooks.end(), [id](const auto& entry) { return entry.first == id; }), hooks.end());
  }
#endif
  flush_releases();
  return make_undefined(env);
  PST_CATCH(env)
}

napi_value set_anomaly_enabled(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  bool previous = torch::autograd::AnomalyMode::is_enabled();
  torch::autograd::AnomalyMode::set_enabled(bool_arg(env, args[0], "enabled"));
  return make_bool(env, previous);
  PST_CATCH(env)
}

napi_value is_anomaly_enabled(napi_env env, napi_callback_info) {
  return make_bool(env, torch::autograd::AnomalyMode::is_enabled());
}

// The graph node of a custom function: its backward is a JS function taking the output
// gradients (handles) and returning one gradient (or undefined) per tensor input.
struct JsFunctionNode : torch::autograd::Node {
  std::shared_ptr<JsCallback> backward;
  std::string label;
  bool materialize_grads = true;

  std::string name() const override { return label; }

  variable_list apply(variable_list&& grads) override {
    napi_env env = backward->env;
    HandleScope scope(env);
    napi_value arr;
    check(napi_create_array_with_length(env, grads.size(), &arr), "array");
    for (size_t i = 0; i < grads.size(); i++) {
      at::Tensor g = grads[i];
      // Gradients of unused outputs arrive undefined: JS sees zeros, as Python's
      // materialize_grads default, or undefined where the caller asked (a module's backward hooks).
      if (materialize_grads && !g.defined() && !input_metadata(i).is_tensor_subclass()) g = input_metadata(i).zeros_like();
      check(napi_set_element(env, arr, i, wrap_optional(env, g)), "set");
    }
    napi_value result = backward->call(label.c_str(), 1, &arr);
    bool is_array = false;
    napi_is_array(env, result, &is_array);
    if (!is_array) throw std::runtime_error(label + ": backward must return an array of gradients");
    uint32_t n;
    napi_get_array_length(env, result, &n);
    if (n != num_outputs()) {
      throw std::runtime_error(label + ": backward returned " + std::to_string(n) + " gradients for " +
                               std::to_string(num_outputs()) + " tensor inputs");
    }
    variable_list out(n);
    for (uint32_t i = 0; i < n; i++) {
      napi_value e;
      napi_get_element(env, result, i, &e);
      if (is_nullish(env, e)) continue;
      out[i] = tensor_arg(env, e, "gradient");  // the engine checks shapes (validate_outputs)
    }
    return out;
  }
};

// functionAttach(inputs[], outputs[], backward, name, materializeGrads = true) -> new output handles
// joined to the graph through a JsFunctionNode (outputs of a forward that ran with grad off).
napi_value function_attach(napi_env env, napi_callback_info info) {
  PST_TRY
  Args args(env, info);
  flush_releases();
  auto inputs = tensor_list(env, args[0], "inputs", false);
  auto outputs = tensor_list(env, args[1], "outputs", false);
  if (type_of(env, args[2]) != napi_function) throw JsError("autograd.Function: backward must be a function", JsError::Type);
  std::string label = string_arg(env, args[3], "name");
  bool needs_graph = at::GradMode::is_enabled() &&
                     std::any_of(inputs.begin(), inputs.end(), [](const at::Tensor& t) { return t.requires_grad(); });
  std::vector<at::Tensor> results(outputs.size());
  if (!needs_graph) {
    for (size_t i = 0; i < outputs.size(); i++) results[i] = outputs[i];
    return tensor_array(env, results);
  }
  auto node = std::shared_ptr<JsFunctionNode>(new JsFunctionNode(), torch::autograd::deleteNode);
  node->backward = std::make_shared<JsCallback>(env, args[2]);
  node->label = label;
  node->materialize_grads = is_nullish(env, args[4]) || bool_arg(env, args[4], "materializeGrads");
  node->set_next_edges(torch::autograd::collect_next_edges(inputs));
  for (size_t i = 0; i < outputs.size(); i++) {
    at::Tensor out = outputs[i].detach();  // a fresh TensorImpl: an input returned as is gets its own history
    if (at::isFloatingType(out.scalar_type()) || at::isComplexType(out.scalar_type())) {
      torch::autograd::create_gradient_edge(out, node);
    } else {
      node->add_input_metadata(torch::autograd::Node::undefined_input());
    }
    results[i] = out;
  }
  return tensor_array(env, results);
  PST_CATCH(env)
}

#define FN(name) napi_value name(napi_env env, napi_callback_info info)
#define BEGIN           \
  PST_TRY               \
  check_interrupt(env); \
  Args args(env, info);

// ---- backward, grad mode, inference mode ----

// backward(self, gradient?, retainGraph?, createGraph?)
FN(backward) {
  BEGIN
  auto& t = tensor_arg(env, args[0], "self");
  at::Tensor gradient;
  if (!is_nullish(env, args[1])) gradient = tensor_arg(env, args[1], "gradient");
  c10::optional<bool> retain;
  if (!is_nullish(env, args[2])) retain = bool_arg(env, args[2], "retainGraph");
  bool create = !is_nullish(env, args[3]) && bool_arg(env, args[3], "createGraph");
  BackwardScope reducing;
  t.backward(gradient, retain, create);
  return make_undefined(env);
  PST_CATCH(env)
}
FN(set_grad_enabled) {
  BEGIN
  bool previous = at::GradMode::is_enabled();
  at::GradMode::set_enabled(bool_arg(env, args[0], "enabled"));
  return make_bool(env, previous);
  PST_CATCH(env)
}
FN(is_grad_enabled) {
  BEGIN
  return make_bool(env, at::GradMode::is_enabled());
  PST_CATCH(env)
}

// Inference mode is an RAII guard in C++; JS enters and exits it around a callback, so the
// guards live on a stack here (exit pops the innermost).
std::vector<std::unique_ptr<c10::InferenceMode>> g_inference_guards;
FN(enter_inference_mode) {
  BEGIN
  g_inference_guards.push_back(std::make_unique<c10::InferenceMode>(bool_arg(env, args[0], "enabled")));
  return make_undefined(env);
  PST_CATCH(env)
}
FN(exit_inference_mode) {
  BEGIN
  if (!g_inference_guards.empty()) g_inference_guards.pop_back();
  return make_undefined(env);
  PST_CATCH(env)
}
FN(is_inference_mode_enabled) {
  BEGIN
  return make_bool(env, c10::InferenceMode::is_enabled());
  PST_CATCH(env)
}
FN(is_inference) {
  BEGIN
  return make_bool(env, tensor_arg(env, args[0], "self").is_inference());
  PST_CATCH(env)
}

}  // namespace

void register_autograd_exports(napi_env env, napi_value exports) {
  define_exports(env, exports,
                 {
                     {"backward", backward},
                     {"setGradEnabled", set_grad_enabled},
                     {"isGradEnabled", is_grad_enabled},
                     {"enterInferenceMode", enter_inference_mode},
                     {"exitInferenceMode", exit_inference_mode},
                     {"isInferenceModeEnabled", is_inference_mode_enabled},
                     {"isInference", is_inference},
                     {"autogradGrad", autograd_grad},
                     {"autogradBackward", autograd_backward},
                     {"registerHook", register_hook},
                     {"removeHook", remove_hook},
                     {"setAnomalyEnabled", set_anomaly_enabled},
                     {"isAnomalyEnabled", is_anomaly_enabled},
                     {"functionAttach", function_attach},
                     {"registerNodePostHook", register_node_post_hook},
                     {"gradFnKeys", grad_fn_keys},
                     {"nextFunctionKeys", next_function_keys},
                     {"registerPostAccumulateGradHook", register_post_accumulate_grad_hook},
                     {"removePostAccumulateGradHook", remove_post_accumulate_grad_hook},
                 });
}

}  // namespace pst
