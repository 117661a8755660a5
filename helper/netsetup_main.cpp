// tcplab-netsetup: the privileged helper of TCP Lab. One verb per run, strict argv, deny by default.
// Run through pkexec by the GUI (PKEXEC_UID names the user who asked) or directly by root. The result
// is one JSON object on stdout; a human-readable message goes to stderr. Exit status: 0 done,
// 1 refused or failed while acting on the system, 2 refused command line. A refusal changes nothing.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "netsetup_ops.h"
#include "netsetup_request.h"

using namespace tcplab::netsetup;

namespace {

// Members naming what the request acted on, so every result line stands on its own.
std::string requestMembers(const Request &r)
{
    std::string out;
    if (r.verb == Verb::AddressAdd || r.verb == Verb::RouteAdd) out += ",\"action\":\"add\"";
    if (r.verb == Verb::AddressDel || r.verb == Verb::RouteDel) out += ",\"action\":\"del\"";
    if (!r.device.empty()) out += ",\"device\":" + jsonString(r.device);
    return out;
}

int report(const std::string &verb, const tcplab::Expected<std::string> &result, int failCode,
           const std::string &members = {})
{
    if (result) {
        std::printf("{\"ok\":true,\"verb\":%s%s%s%s}\n", jsonString(verb).c_str(), members.c_str(),
                    result->empty() ? "" : ",", result->c_str());
        return 0;
    }
    std::fprintf(stderr, "tcplab-netsetup: %s\n", result.error().message.c_str());
    std::printf("{\"ok\":false,\"verb\":%s%s,\"error\":%s}\n", jsonString(verb).c_str(), members.c_str(),
                jsonString(result.error().message).c_str());
    return failCode;
}

} // namespace

int main(int argc, char **argv)
{
    // The only thing taken from the environment is PKEXEC_UID; everything else is dropped before any
    // library runs, so nothing (locale, NSS, libnl debug switches) can be steered by the caller.
    std::optional<std::string> pkexecUid;
    if (const char *v = std::getenv("PKEXEC_UID")) pkexecUid = std::string(v);
    clearenv();
    umask(022);

    std::vector<std::string_view> args;
    for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
    if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
        std::fputs(usageText().c_str(), stdout);
        return 0;
    }
    if (args.size() == 1 && args[0] == "--version") {
        std::printf("tcplab-netsetup %s\n", TCPLAB_VERSION);
        return 0;
    }

    const std::string verb = args.empty() ? std::string() : std::string(args[0].substr(0, kMaxArgumentBytes));
    const Caller caller{static_cast<std::uint32_t>(geteuid()), pkexecUid};
    const UidLookup uidExists = [](std::uint32_t uid) { return getpwuid(uid) != nullptr; };
    auto request = parseRequest(args, caller, uidExists);
    if (!request) {
        const int code = report(verb, request.error(), 2);
        std::fputs(usageText().c_str(), stderr);
        return code;
    }
    auto setup = NetSetup::connect();
    const std::string members = requestMembers(*request);
    if (!setup) return report(verb, setup.error(), 1, members);
    return report(verb, (*setup)->run(*request), 1, members);
}
