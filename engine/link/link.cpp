#include "link/link.h"

namespace tcplab {

const char *txResultName(TxResult result)
{
    switch (result) {
    case TxResult::Sent: return "sent";
    case TxResult::Lost: return "lost";
    case TxResult::QueueFull: return "queue-full";
    case TxResult::Error: return "error";
    }
    return "unknown";
}

}  // namespace tcplab
