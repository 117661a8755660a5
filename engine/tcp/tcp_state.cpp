#include "tcp/tcp_state.h"

#include <array>
#include <cctype>

namespace tcplab {

namespace {

constexpr std::array<std::string_view, kTcpStateCount> kNames = {
    "NONE",        "CLOSED",    "LISTEN",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
    "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK",     "TIME-WAIT",
};

bool sameName(std::string_view rfc, std::string_view text)
{
    if (rfc.size() != text.size()) return false;
    for (std::size_t i = 0; i < rfc.size(); ++i) {
        char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
        if (c == '_') c = '-';
        if (c != rfc[i]) return false;
    }
    return true;
}

}  // namespace

std::string_view tcpStateName(TcpState s)
{
    const auto i = static_cast<std::size_t>(s);
    return i < kNames.size() ? kNames[i] : "UNKNOWN";
}

std::optional<TcpState> tcpStateFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kNames.size(); ++i)
        if (sameName(kNames[i], name)) return static_cast<TcpState>(i);
    return std::nullopt;
}

}  // namespace tcplab
