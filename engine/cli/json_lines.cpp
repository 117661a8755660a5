#include "cli/json_lines.h"

#include <cstdio>

namespace tcplab {

std::string jsonString(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

void writeEventJson(std::ostream &out, const Event &e, const std::vector<std::string> &hostNames)
{
    const auto ns = nanosOf(e.time);
    char time[40];
    std::snprintf(time, sizeof time, "%lld.%09lld", static_cast<long long>(ns / 1'000'000'000),
                  static_cast<long long>(ns % 1'000'000'000));
    out << "{\"time\":" << time << ",\"time_ns\":" << ns << ",\"kind\":" << jsonString(eventKindName(e.kind))
        << ",\"host\":" << (e.host < hostNames.size() ? jsonString(hostNames[e.host]) : std::string("null"))
        << ",\"session\":" << e.session << ",\"name\":" << jsonString(e.name) << ",\"detail\":" << jsonString(e.detail)
        << ",\"fields\":{";
    for (std::size_t i = 0; i < e.fields.size(); ++i)
        out << (i ? "," : "") << jsonString(e.fields[i].first) << ':' << jsonString(e.fields[i].second);
    out << '}';
    if (e.packetIndex != Event::kNoPacket) out << ",\"packet\":" << e.packetIndex;
    out << "}\n";
}

}  // namespace tcplab
