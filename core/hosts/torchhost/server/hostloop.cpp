#include "core/hosts/torchhost/server/torchhost.h"

#include <exception>
#include <iostream>

namespace hubcap::torchhost {

namespace {

// The request being served and where its progress goes (set by serve() around handle()).
std::ostream *progressOut = nullptr;
const Json *progressId = nullptr;

Json errorResponse(const Json &id, const std::string &type, const std::string &message)
{
    Json err = Json::object();
    err.set("type", type);
    err.set("message", message);
    Json r = Json::object();
    r.set("id", id);
    r.set("error", std::move(err));
    return r;
}

} // namespace

void reportProgress(const std::string &phase, std::int64_t done, std::int64_t total)
{
    if (!progressOut || !progressId)
        return;
    Json p = Json::object();
    p.set("phase", phase);
    p.set("done", done);
    p.set("total", total);
    Json line = Json::object();
    line.set("id", *progressId);
    line.set("progress", std::move(p));
    *progressOut << line.dump() << '\n';
    progressOut->flush();
}

Json handle(const Json &request, bool *shutdown)
{
    const Json &id = request["id"];
    if (!request.isObject() || !request["method"].isString())
        return errorResponse(id, "invalid_request", "a request needs a string \"method\"");
    const std::string &method = request["method"].string();
    const Json &params = request["params"];
    try {
        Json result;
        if (method == "info") {
            result = torchInfo();
        } else if (method == "verify") {
            result = verifyExport(params);
        } else if (method == "describe") {
            result = describeModule(params);
        } else if (method == "shutdown") {
            result = Json::object();
            if (shutdown)
                *shutdown = true;
        } else {
            return errorResponse(id, "invalid_request", "unknown method \"" + method + "\"");
        }
        Json r = Json::object();
        r.set("id", id);
        r.set("result", std::move(result));
        return r;
    } catch (const OpError &e) {
        return errorResponse(id, e.type, e.message);
    } catch (const std::exception &e) {
        return errorResponse(id, "internal", e.what());
    }
}

int serve(std::istream &in, std::ostream &out)
{
    Json greeting = Json::object();
    greeting.set("hello", hello());
    out << greeting.dump() << '\n';
    out.flush();
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        std::string error;
        auto request = Json::parse(line, &error);
        bool shutdown = false;
        const bool progress =
            request && request->isObject() && (*request)["params"]["progress"].boolean();
        progressOut = progress ? &out : nullptr;
        progressId = progress ? &(*request)["id"] : nullptr;
        Json response = request
                            ? handle(*request, &shutdown)
                            : errorResponse(Json(), "invalid_request", "malformed JSON: " + error);
        progressOut = nullptr;
        progressId = nullptr;
        out << response.dump() << '\n';
        out.flush();
        if (shutdown)
            break;
    }
    return 0;
}

} // namespace hubcap::torchhost
