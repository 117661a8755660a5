// Events as JSON Lines: one object per line with time (seconds of lab time), time_ns, kind, host
// (name), session, name, detail and fields (an object of strings).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace tcplab {

// JSON string literal (quotes included), control characters escaped, invalid UTF-8 passed as is.
std::string jsonString(std::string_view text);

// hostNames[id] names host `id` ("client", "server", "tcplab"); unknown ids print as null.
void writeEventJson(std::ostream &out, const Event &event, const std::vector<std::string> &hostNames);

}  // namespace tcplab
