#include "core/hosts/pyhost/server/pyhostmain.h"

#include "core/hosts/pyhost/server/embeddedfiles.h"

#include <pybind11/embed.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace py = pybind11;

namespace hubcap::pyhost {

namespace {

constexpr const char *bootstrapName = "hubcap_host/_bootstrap.py";

const EmbeddedFile *findFile(const char *name)
{
    for (const EmbeddedFile &f : embeddedPythonFiles()) {
        if (std::strcmp(f.name, name) == 0)
            return &f;
    }
    return nullptr;
}

// Moves the protocol off fd 0/1 before any Python or repository code can touch them.
bool protectProtocol(int &protoIn, int &protoOut)
{
    protoIn = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
    protoOut = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (protoIn < 0 || protoOut < 0)
        return false;
    std::fflush(stdout);
    if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        return false;
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0)
        return false;
    close(devnull);
    return true;
}

// The client starts the host as the leader of its own process group (setsid) with SIGTERM as
// its parent-death signal. Whatever repository code forks stays in that group; ending the group
// ends it all, so nothing outlives the host.
void endProcessGroup()
{
    if (getpgrp() == getpid())
        kill(0, SIGKILL); // this process included
}

extern "C" void onTerminate(int)
{
    endProcessGroup();
    _exit(143);
}

} // namespace

int runHost(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--help") == 0) {
            std::printf("Usage: hubcap-pyhost [--repo DIR]\n"
                        "Serves Hubcap's JSON-lines requests on stdin/stdout (started by Hubcap,\n"
                        "one process per repository folder). See "
                        "core/hosts/pyhost/server/python/hubcap_host/server.py.\n");
            return 0;
        }
    }
    std::signal(SIGTERM, onTerminate);
    int protoIn = -1;
    int protoOut = -1;
    if (!protectProtocol(protoIn, protoOut)) {
        std::fprintf(stderr, "hubcap-pyhost: cannot set up the protocol descriptors: %s\n",
                     std::strerror(errno));
        return 70;
    }
    const EmbeddedFile *bootstrap = findFile(bootstrapName);
    if (bootstrap == nullptr) {
        std::fprintf(stderr, "hubcap-pyhost: %s is not embedded\n", bootstrapName);
        return 70;
    }
    int rc = 70;
    {
        // No program dir on sys.path: the interpreter must see what /usr/bin/python3 sees.
        py::scoped_interpreter guard(true, 0, nullptr, false);
        try {
            py::module_ sys = py::module_::import("sys");
            py::list pyArgv;
            pyArgv.append(py::str("hubcap-pyhost"));
            sys.attr("argv") = pyArgv;

            py::dict files;
            for (const EmbeddedFile &f : embeddedPythonFiles())
                files[py::str(f.name)] = py::bytes(reinterpret_cast<const char *>(f.data), f.size);

            py::module_ builtins = py::module_::import("builtins");
            py::dict ns;
            ns["__builtins__"] = builtins;
            ns["__name__"] = py::str("hubcap_host._bootstrap");
            py::object code = builtins.attr("compile")(
                py::bytes(reinterpret_cast<const char *>(bootstrap->data), bootstrap->size),
                py::str(std::string("<hubcap-pyhost>/") + bootstrapName), py::str("exec"));
            builtins.attr("exec")(code, ns);
            ns["install"](files);

            py::object result =
                py::module_::import("hubcap_host.server").attr("serve")(protoIn, protoOut);
            rc = result.cast<int>();
        } catch (const py::error_already_set &e) {
            std::fprintf(stderr, "hubcap-pyhost: %s\n", e.what());
            rc = 70;
        }
        std::fflush(stdout);
        std::fflush(stderr);
        if (getpgrp() == getpid()) {
            // Children that repository code forked end with the host. SIGKILL reaches this
            // process too, so the exit status is the signal's: the client never reads it on a
            // normal end (it closed our stdin).
            endProcessGroup();
        }
        // Skip interpreter finalisation: threads started by repository code could hang it, and
        // tearing down torch takes time for nothing.
        _exit(rc);
    }
}

} // namespace hubcap::pyhost
