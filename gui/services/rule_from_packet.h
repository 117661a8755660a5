// "Make a rule from this packet": a rule matching one stored packet's host, hook, flags (exactly)
// and ports, ready for an action; and the one-click "reply with a bare ACK instead" on a SYN (the
// syn-answered-by-ack lesson's rule).
#pragma once

#include <optional>

#include "capture/packet_store.h"
#include "services/scenario_model.h"

namespace tcplab::gui {

enum class PacketRuleKind { Drop, BareAckReply };

// nullopt when the packet is not TCP, or BareAckReply on a packet that is not a SYN without ACK.
// `hosts` (the scenario's) name the host by the packet's local address when the store's interface
// descriptions do not.
std::optional<ScenarioRule> ruleFromPacket(const PacketStore &store, std::uint64_t index, PacketRuleKind kind,
                                           const std::vector<ScenarioHost> &hosts = {});

}  // namespace tcplab::gui
