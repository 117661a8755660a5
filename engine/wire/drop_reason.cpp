#include "wire/drop_reason.h"

#include <string>
#include <utility>

namespace tcplab {

namespace {

struct ReasonInfo {
    std::string_view name;
    std::string_view text;
};

constexpr std::array<ReasonInfo, kDropReasonCount> kReasons{{
#define TCPLAB_DROP_INFO(id, name, text) {name, text},
    TCPLAB_DROP_REASONS(TCPLAB_DROP_INFO)
#undef TCPLAB_DROP_INFO
}};

}  // namespace

std::string_view dropReasonName(DropReason reason)
{
    const auto i = static_cast<std::size_t>(reason);
    return i < kReasons.size() ? kReasons[i].name : std::string_view("unknown");
}

std::string_view dropReasonText(DropReason reason)
{
    const auto i = static_cast<std::size_t>(reason);
    return i < kReasons.size() ? kReasons[i].text : std::string_view("unknown reason");
}

bool dropReasonFromName(std::string_view name, DropReason &out)
{
    for (std::size_t i = 0; i < kReasons.size(); ++i) {
        if (kReasons[i].name == name) {
            out = static_cast<DropReason>(i);
            return true;
        }
    }
    return false;
}

Error dropError(std::string_view what, DropReason reason)
{
    std::string message(what);
    message += ": ";
    message += dropReasonName(reason);
    message += " (";
    message += dropReasonText(reason);
    message += ')';
    return Error{std::move(message)};
}

}  // namespace tcplab
