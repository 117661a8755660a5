#include "core/event.h"

namespace tcplab {

const char *eventKindName(EventKind kind)
{
    switch (kind) {
    case EventKind::Log: return "log";
    case EventKind::Counter: return "counter";
    case EventKind::LinkState: return "link";
    case EventKind::SessionOpened: return "session";
    case EventKind::StateChange: return "state";
    case EventKind::TimerStart: return "timer-start";
    case EventKind::TimerExpire: return "timer-expire";
    case EventKind::Retransmit: return "retransmit";
    case EventKind::WindowChange: return "window";
    case EventKind::RuleHit: return "rule";
    case EventKind::ServiceNote: return "service";
    case EventKind::StoreWarning: return "store";
    case EventKind::Error: return "error";
    case EventKind::RttSample: return "rtt";
    }
    return "unknown";
}

}  // namespace tcplab
