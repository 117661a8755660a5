// tcplab-netsetup: carrying out one request. Taps come from the TUNSETIFF ioctl; bridges, enslaving,
// addresses, routes and link state go through rtnetlink (libnl-route-3). Every interface the helper
// creates carries the alias kManagedAlias, and every verb except create-* refuses an interface without
// it.
#pragma once

#include <memory>
#include <string>

#include "netsetup_request.h"

struct nl_sock;

namespace tcplab::netsetup {

inline constexpr const char *kManagedAlias = "tcplab-managed";

enum class LinkKind { Tap, Bridge, Other };

// What the helper needs to know about one existing interface.
struct LinkFacts {
    int ifindex = 0;
    LinkKind kind = LinkKind::Other;
    bool managed = false;
};

class NetSetup {
public:
    static Expected<std::unique_ptr<NetSetup>> connect();
    ~NetSetup();
    NetSetup(const NetSetup &) = delete;
    NetSetup &operator=(const NetSetup &) = delete;

    // Carries out the request. On success returns the JSON members to add to the result object
    // (without braces, possibly empty); on failure nothing is left changed.
    Expected<std::string> run(const Request &r);

private:
    explicit NetSetup(nl_sock *sock) : sock_(sock) {}

    Expected<LinkFacts> lookup(const std::string &name);      // ifindex 0: no such interface
    Expected<LinkFacts> requireManaged(const std::string &name, const char *what, bool tapOnly,
                                       bool bridgeOnly);
    Status requireAbsent(const std::string &name);
    Status markManaged(const std::string &name);

    Expected<std::string> createTap(const Request &r);
    Expected<std::string> deleteTap(const Request &r);
    Expected<std::string> createBridge(const Request &r);
    Expected<std::string> deleteBridge(const Request &r);
    Expected<std::string> attach(const Request &r);
    Expected<std::string> changeLink(const Request &r);
    Expected<std::string> changeAddress(const Request &r);
    Expected<std::string> changeRoute(const Request &r);
    Expected<std::string> status();

    nl_sock *sock_;
};

// JSON string literal for arbitrary text (control characters and non-ASCII bytes escaped as \u00XX).
std::string jsonString(const std::string &text);

} // namespace tcplab::netsetup
