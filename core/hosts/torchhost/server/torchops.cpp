// The only file of the project that includes libtorch headers (they compile slowly).
#include "core/hosts/torchhost/server/torchhost.h"

#include <torch/script.h>
#include <torch/version.h>

#include <ATen/Parallel.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace hubcap::torchhost {

namespace {

/// c10::Error's what() carries a C++ backtrace; users get the first lines of the message.
std::string shortMessage(const std::string &what)
{
    std::istringstream in(what);
    std::string line, out;
    int lines = 0;
    while (std::getline(in, line) && lines < 6) {
        if (line.rfind("Exception raised from", 0) == 0 || line.rfind("frame #", 0) == 0)
            break;
        if (line.find_first_not_of(' ') == std::string::npos)
            continue;
        out += (out.empty() ? "" : "\n") + line;
        ++lines;
    }
    return out.empty() ? what : out;
}

template <typename F>
auto guarded(const std::string &type, const std::string &context, F &&f) -> decltype(f())
{
    try {
        return f();
    } catch (const OpError &) {
        throw;
    } catch (const c10::Error &e) {
        throw OpError{type, context + ": " + shortMessage(e.what_without_backtrace())};
    } catch (const std::exception &e) {
        throw OpError{type, context + ": " + shortMessage(e.what())};
    }
}

std::string dtypeName(c10::ScalarType t)
{
    switch (t) {
    case c10::kFloat:
        return "float32";
    case c10::kDouble:
        return "float64";
    case c10::kHalf:
        return "float16";
    case c10::kBFloat16:
        return "bfloat16";
    case c10::kLong:
        return "int64";
    case c10::kInt:
        return "int32";
    case c10::kShort:
        return "int16";
    case c10::kChar:
        return "int8";
    case c10::kByte:
        return "uint8";
    case c10::kBool:
        return "bool";
    case c10::kComplexFloat:
        return "complex64";
    case c10::kComplexDouble:
        return "complex128";
    default:
        return c10::toString(t);
    }
}

Json shapeOf(const at::Tensor &t)
{
    Json a = Json::array();
    for (auto d : t.sizes())
        a.push(Json(static_cast<std::int64_t>(d)));
    return a;
}

std::string existingFile(const Json &params, const char *key, const std::string &what)
{
    if (!params[key].isString() || params[key].string().empty())
        throw OpError{"invalid_request",
                      std::string("params.") + key + " (the " + what + ") is required"};
    const std::string path = params[key].string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw OpError{"not_found", "No such file: " + path};
    return path;
}

torch::jit::Module loadModule(const std::string &path, const std::string &what)
{
    return guarded("load_error",
                   "Cannot load " + what + " " + path +
                       " as TorchScript (corrupt, truncated, "
                       "or not a torch.jit.save file)",
                   [&] {
                       auto m = torch::jit::load(path, c10::Device(c10::kCPU));
                       m.eval();
                       return m;
                   });
}

void flatten(const c10::IValue &v, std::vector<at::Tensor> &out, int depth = 0)
{
    if (depth > 50)
        return;
    if (v.isTensor()) {
        out.push_back(v.toTensor());
    } else if (v.isTuple()) {
        for (const auto &x : v.toTupleRef().elements())
            flatten(x, out, depth + 1);
    } else if (v.isList()) {
        for (const c10::IValue &x : v.toListRef())
            flatten(x, out, depth + 1);
    } else if (v.isGenericDict()) {
        for (const auto &kv : v.toGenericDict())
            flatten(kv.value(), out, depth + 1);
    }
}

std::vector<at::Tensor> tensorList(torch::jit::Module &m, const char *attr, const std::string &path)
{
    return guarded("bad_example",
                   "The example file " + path + " has no List[Tensor] attribute '" + attr + "'",
                   [&] { return m.attr(attr).toTensorVector(); });
}

struct Diff
{
    double maxAbs = 0, maxRel = 0;
    bool allclose = true;
};

Diff compare(const at::Tensor &got, const at::Tensor &want, double rtol, double atol)
{
    Diff d;
    if (got.numel() == 0)
        return d;
    const auto a = got.detach().to(at::kDouble).contiguous();
    const auto b = want.detach().to(at::kDouble).contiguous();
    const auto bothNan = at::logical_and(at::isnan(a), at::isnan(b));
    auto diff = (a - b).abs();
    diff = at::where(bothNan, at::zeros_like(diff), diff);
    diff = at::where(at::isnan(diff), at::full_like(diff, std::numeric_limits<double>::infinity()),
                     diff);
    // Equal infinities differ by nan above, now inf: they are equal.
    diff = at::where(at::eq(a, b), at::zeros_like(diff), diff);
    auto rel = diff / b.abs();
    rel = at::where(at::eq(diff, 0), at::zeros_like(rel), rel);
    d.maxAbs = diff.max().item<double>();
    d.maxRel = rel.max().item<double>();
    d.allclose = at::allclose(a, b, rtol, atol, /*equal_nan=*/true);
    return d;
}

} // namespace

Json hello()
{
    Json r = Json::object();
    r.set("host", "hubcap-torchhost");
    r.set("protocol", static_cast<std::int64_t>(kProtocolVersion));
    r.set("pid", static_cast<std::int64_t>(::getpid()));
    r.set("torch_version", TORCH_VERSION);
    return r;
}

Json torchInfo()
{
    Json r = Json::object();
    r.set("torch_version", TORCH_VERSION);
    r.set("threads", at::get_num_threads());
    return r;
}

Json verifyExport(const Json &params)
{
    const std::string path = existingFile(params, "path", "exported TorchScript file");
    std::string example =
        params["example"].isString() ? params["example"].string() : path + ".example.pt";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(example, ec))
        throw OpError{"not_found", "No example input beside the export: " + example +
                                       " (export with hubcap to write it, or pass params.example)"};
    const int runs = static_cast<int>(std::clamp(params["runs"].number(20), 0.0, 100000.0));
    const int warmup = static_cast<int>(std::clamp(params["warmup"].number(3), 0.0, 1000.0));
    const double budgetMs = std::clamp(params["budget_ms"].number(0), 0.0, 3600e3);
    const int minRuns = static_cast<int>(std::clamp(params["min_runs"].number(3), 1.0, 1000.0));
    const double rtol = params["rtol"].number(1e-4);
    const double atol = params["atol"].number(1e-5);
    if (params["threads"].isNumber() && params["threads"].number() >= 1)
        at::set_num_threads(static_cast<int>(params["threads"].number()));

    reportProgress("loading", 0, -1);
    torch::jit::Module module = loadModule(path, "the export");
    torch::jit::Module holder = loadModule(example, "the example file");
    const std::vector<at::Tensor> inputs = tensorList(holder, "inputs", example);
    const std::vector<at::Tensor> expected = tensorList(holder, "outputs", example);

    c10::InferenceMode inference;
    std::vector<c10::IValue> args(inputs.begin(), inputs.end());
    auto forward = [&] {
        return guarded("forward_error", "forward() of " + path + " failed on the example input",
                       [&] { return module.forward(args); });
    };
    using Clock = std::chrono::steady_clock;
    auto msSince = [](Clock::time_point t0) {
        return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    };
    reportProgress("checking", 0, 1);
    const auto checkStart = Clock::now();
    std::vector<at::Tensor> got;
    flatten(forward(), got);
    double lastRunMs = msSince(checkStart);

    Json result = Json::object();
    result.set("path", path);
    result.set("example", example);
    result.set("torch_version", TORCH_VERSION);
    result.set("rtol", rtol);
    result.set("atol", atol);
    result.set("output_count", static_cast<std::int64_t>(got.size()));
    result.set("expected_output_count", static_cast<std::int64_t>(expected.size()));
    std::string reason;
    if (got.size() != expected.size())
        reason = "the export returned " + std::to_string(got.size()) +
                 " tensor(s), the eager model " + std::to_string(expected.size());
    Json outputs = Json::array();
    double maxAbs = 0, maxRel = 0;
    for (std::size_t k = 0; k < std::min(got.size(), expected.size()); ++k) {
        Json o = Json::object();
        o.set("index", static_cast<std::int64_t>(k));
        o.set("shape", shapeOf(got[k]));
        o.set("expected_shape", shapeOf(expected[k]));
        o.set("dtype", dtypeName(got[k].scalar_type()));
        o.set("expected_dtype", dtypeName(expected[k].scalar_type()));
        const bool shapeMatch = got[k].sizes() == expected[k].sizes();
        const bool dtypeMatch = got[k].scalar_type() == expected[k].scalar_type();
        o.set("shape_match", shapeMatch);
        o.set("dtype_match", dtypeMatch);
        if (shapeMatch) {
            const Diff d = guarded("internal", "comparing output " + std::to_string(k),
                                   [&] { return compare(got[k], expected[k], rtol, atol); });
            o.set("max_abs_diff", d.maxAbs);
            o.set("max_rel_diff", d.maxRel);
            o.set("allclose", d.allclose);
            maxAbs = std::max(maxAbs, d.maxAbs);
            maxRel = std::max(maxRel, d.maxRel);
            if (!d.allclose && reason.empty()) {
                std::ostringstream s;
                s << "output " << k << " differs from the eager output: max |diff| " << d.maxAbs
                  << " exceeds the tolerance (rtol " << rtol << ", atol " << atol << ")";
                reason = s.str();
            }
        } else if (reason.empty()) {
            reason = "output " + std::to_string(k) + " has shape " + shapeOf(got[k]).dump() +
                     ", the eager output " + shapeOf(expected[k]).dump();
        }
        if (!dtypeMatch && reason.empty())
            reason = "output " + std::to_string(k) + " has dtype " +
                     dtypeName(got[k].scalar_type()) + ", the eager output " +
                     dtypeName(expected[k].scalar_type());
        outputs.push(std::move(o));
    }
    result.set("outputs", std::move(outputs));
    result.set("max_abs_diff", maxAbs);
    result.set("max_rel_diff", maxRel);
    result.set("verified", reason.empty());
    if (!reason.empty())
        result.set("reason", reason);

    // Timing: warm-up runs (the profiling executor optimises during the first ones), then the
    // timed runs: `runs`, or with a budget as many as fit it at the measured speed.
    Json timing = Json::object();
    timing.set("threads", at::get_num_threads());
    int planned = runs, warmed = 0;
    if (runs > 0) {
        const auto warmStart = Clock::now();
        for (int k = 0; k < warmup; ++k) {
            if (budgetMs > 0 && k > 0 && msSince(warmStart) >= budgetMs / 2)
                break; // a slow model: one more warm-up run would eat the budget
            reportProgress("warmup", k + 1, warmup);
            const auto t0 = Clock::now();
            forward();
            lastRunMs = msSince(t0);
            ++warmed;
        }
        if (budgetMs > 0) {
            const double fit = std::ceil(budgetMs / std::max(lastRunMs, 1e-3));
            planned = static_cast<int>(
                std::clamp(fit, static_cast<double>(std::min(minRuns, runs)), double(runs)));
        }
        std::vector<double> ms;
        ms.reserve(static_cast<std::size_t>(planned));
        for (int k = 0; k < planned; ++k) {
            reportProgress("timing", k + 1, planned);
            const auto t0 = Clock::now();
            forward();
            ms.push_back(msSince(t0));
        }
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const std::size_t n = sorted.size();
        const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double mean = 0;
        for (double x : ms)
            mean += x;
        mean /= double(n);
        double var = 0;
        for (double x : ms)
            var += (x - mean) * (x - mean);
        timing.set("median_ms", median);
        timing.set("min_ms", sorted.front());
        timing.set("max_ms", sorted.back());
        timing.set("mean_ms", mean);
        timing.set("stdev_ms", n > 1 ? std::sqrt(var / double(n - 1)) : 0.0);
    }
    timing.set("runs", planned);
    timing.set("warmup", warmed);
    if (budgetMs > 0)
        timing.set("budget_ms", budgetMs);
    result.set("timing", std::move(timing));
    return result;
}

Json describeModule(const Json &params)
{
    const std::string path = existingFile(params, "path", "TorchScript file");
    torch::jit::Module module = loadModule(path, "the file");
    return guarded("internal", "Cannot describe " + path, [&] {
        Json r = Json::object();
        r.set("path", path);
        r.set("type",
              module.type()->name() ? module.type()->name()->qualifiedName() : std::string("?"));
        Json modules = Json::array();
        for (const auto &m : module.named_modules()) {
            Json o = Json::object();
            o.set("name", m.name);
            o.set("type", m.value.type()->name() ? m.value.type()->name()->qualifiedName()
                                                 : std::string("?"));
            modules.push(std::move(o));
        }
        r.set("modules", std::move(modules));
        auto tensors = [](const auto &list, std::int64_t *total, std::int64_t *bytes) {
            Json a = Json::array();
            for (const auto &p : list) {
                const at::Tensor &t = p.value;
                Json o = Json::object();
                o.set("name", p.name);
                o.set("shape", shapeOf(t));
                o.set("dtype", dtypeName(t.scalar_type()));
                o.set("numel", static_cast<std::int64_t>(t.numel()));
                o.set("bytes", static_cast<std::int64_t>(t.numel() * t.element_size()));
                o.set("requires_grad", t.requires_grad());
                *total += t.numel();
                *bytes += static_cast<std::int64_t>(t.numel() * t.element_size());
                a.push(std::move(o));
            }
            return a;
        };
        std::int64_t params = 0, paramBytes = 0, buffers = 0, bufferBytes = 0;
        r.set("parameters", tensors(module.named_parameters(true), &params, &paramBytes));
        r.set("buffers", tensors(module.named_buffers(true), &buffers, &bufferBytes));
        Json methods = Json::array();
        for (const auto &m : module.get_methods()) {
            Json o = Json::object();
            o.set("name", m.name());
            std::ostringstream schema;
            schema << m.function().getSchema();
            o.set("schema", schema.str());
            methods.push(std::move(o));
        }
        r.set("methods", std::move(methods));
        r.set("total_params", params);
        r.set("total_param_bytes", paramBytes);
        r.set("total_buffer_params", buffers);
        r.set("total_buffer_bytes", bufferBytes);
        r.set("torch_version", TORCH_VERSION);
        return r;
    });
}

} // namespace hubcap::torchhost
