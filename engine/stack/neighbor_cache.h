// The neighbour cache shared by ARP (RFC 826, IPv4) and Neighbor Discovery (RFC 4861, IPv6): maps
// an on-link address to a MAC address, probes for unknown ones, keeps a small queue of packets
// waiting for the answer, and checks known neighbours with Neighbor Unreachability Detection.
//
// States, RFC 4861 section 7.3.2 (ARP follows the same model, as Linux does):
//   Incomplete: "Address resolution is in progress and the link-layer address of the neighbor has
//               not yet been determined"; packets queue (at most maxPending per neighbour).
//   Reachable:  "Positive confirmation was received within the last ReachableTime milliseconds".
//   Stale:      "More than ReachableTime milliseconds have elapsed since the last positive
//               confirmation"; the cached MAC is still used at once.
//   Delay:      a packet was sent to a Stale entry; waiting DELAY_FIRST_PROBE_TIME for a
//               confirmation before probing.
//   Probe:      "A reachability confirmation is actively sought by retransmitting Neighbor
//               Solicitations every RetransTimer milliseconds" (unicast, to the cached MAC).
// Confirmations are replies (ARP reply, solicited NA, or any learn() call); there is no
// upper-layer (TCP) confirmation API. Stale entries stay until evicted for a new neighbour.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "core/bytes.h"
#include "core/event.h"
#include "core/time.h"
#include "wire/addresses.h"

namespace tcplab {

struct NeighborConfig {
    // RFC 4861 section 10: RETRANS_TIMER 1 s, MAX_MULTICAST_SOLICIT 3. Linux ARP uses the same.
    Duration retransmit = std::chrono::seconds(1);
    int maxSolicits = 3;
    // RFC 4861 section 10: REACHABLE_TIME 30 s (ReachableTime, not randomised here: randomness is
    // an input and a fixed value keeps runs reproducible); a Reachable entry goes Stale after it.
    Duration reachable = std::chrono::seconds(30);
    // RFC 4861 section 10: DELAY_FIRST_PROBE_TIME 5 s, MAX_UNICAST_SOLICIT 3.
    Duration delayFirstProbe = std::chrono::seconds(5);
    int maxUnicastSolicits = 3;
    // RFC 1122 section 2.3.2.2: "The link layer SHOULD save (rather than discard) at least one
    // (the latest) packet of each set of packets destined to the same unresolved IP address".
    std::size_t maxPending = 8;
    std::size_t maxEntries = 1024; // a flood of new destinations cannot grow the cache past this
};

struct NeighborCounters {
    std::uint64_t solicitsSent = 0;   // requests / NS, retries included
    std::uint64_t resolved = 0;       // an Incomplete entry got its answer
    std::uint64_t gaveUp = 0;         // maxSolicits unanswered
    std::uint64_t pendingDropped = 0; // queued packets thrown away (overflow or gave up)
    std::uint64_t stale = 0;          // Reachable entries that went Stale (ReachableTime passed)
    std::uint64_t probesSent = 0;     // unicast NUD probes (Probe state)
    std::uint64_t unreachable = 0;    // Probe entries removed after maxUnicastSolicits unanswered
};

enum class NeighborState : std::uint8_t { Incomplete, Reachable, Stale, Delay, Probe };

inline const char *neighborStateName(NeighborState s)
{
    switch (s) {
    case NeighborState::Incomplete: return "INCOMPLETE";
    case NeighborState::Reachable: return "REACHABLE";
    case NeighborState::Stale: return "STALE";
    case NeighborState::Delay: return "DELAY";
    case NeighborState::Probe: return "PROBE";
    }
    return "?";
}

// An IP packet waiting for its next hop's MAC address.
struct PendingPacket {
    Bytes ip;
    SessionId session = kNoSession;
};

template <class Addr> class NeighborCache {
public:
    using State = NeighborState;
    struct Entry {
        State state = State::Incomplete;
        MacAddr mac;
        // Next solicitation (Incomplete, Probe), Stale time (Reachable), first probe (Delay); none
        // for Stale.
        Instant deadline{};
        int solicits = 0;
        std::deque<PendingPacket> pending; // IP packets waiting for the MAC
    };

    explicit NeighborCache(NeighborConfig config = {}) : config_(config) {}

    const NeighborConfig &config() const { return config_; }
    const NeighborCounters &counters() const { return counters_; }
    const std::map<Addr, Entry> &entries() const { return entries_; }

    std::optional<MacAddr> lookup(const Addr &addr) const
    {
        auto it = entries_.find(addr);
        if (it == entries_.end() || it->second.state == State::Incomplete) return std::nullopt;
        return it->second.mac;
    }

    std::optional<State> state(const Addr &addr) const
    {
        auto it = entries_.find(addr);
        if (it == entries_.end()) return std::nullopt;
        return it->second.state;
    }

    // The MAC to send a packet to `addr` with, as the send path sees it. RFC 4861 section 7.3.3:
    // "The first time a node sends a packet to a neighbor whose entry is STALE, the sender changes
    // the state to DELAY and sets a timer to expire in DELAY_FIRST_PROBE_TIME seconds." The packet
    // goes out at once with the cached address.
    std::optional<MacAddr> use(Instant now, const Addr &addr)
    {
        auto it = entries_.find(addr);
        if (it == entries_.end() || it->second.state == State::Incomplete) return std::nullopt;
        Entry &e = it->second;
        if (e.state == State::Stale) {
            e.state = State::Delay;
            e.deadline = now + config_.delayFirstProbe;
        }
        return e.mac;
    }

    // Queues `packet` for `addr`. Returns true when the caller must send a solicitation now (the
    // entry is new). When the queue is full the oldest packet gives way (RFC 1122 keeps "the latest").
    bool enqueue(Instant now, const Addr &addr, PendingPacket packet)
    {
        auto it = entries_.find(addr);
        bool isNew = false;
        if (it == entries_.end()) {
            if (entries_.size() >= config_.maxEntries && !evictOne()) {
                ++counters_.pendingDropped;
                return false;
            }
            it = entries_.emplace(addr, Entry{}).first;
            it->second.deadline = now + config_.retransmit;
            it->second.solicits = 1;
            ++counters_.solicitsSent;
            isNew = true;
        }
        Entry &e = it->second;
        if (e.pending.size() >= config_.maxPending) {
            e.pending.pop_front();
            ++counters_.pendingDropped;
        }
        e.pending.push_back(std::move(packet));
        return isNew;
    }

    // Records addr -> mac. With `create` false, only an existing entry is updated (RFC 826: "If
    // the pair <protocol type, sender protocol address> is already in my translation table, update
    // the sender hardware address field"; a new entry is made only when the packet was for us).
    // Returns the packets that were waiting, to be sent now.
    std::deque<PendingPacket> learn(Instant now, const Addr &addr, const MacAddr &mac, bool create)
    {
        auto it = entries_.find(addr);
        if (it == entries_.end()) {
            if (!create || (entries_.size() >= config_.maxEntries && !evictOne())) return {};
            it = entries_.emplace(addr, Entry{}).first;
        } else if (it->second.state == State::Incomplete) {
            ++counters_.resolved;
        }
        // RFC 4861 section 7.2.5 and 7.3.3: a confirmation (solicited advertisement, ARP reply)
        // makes the entry REACHABLE whatever its state, restarting ReachableTime.
        Entry &e = it->second;
        e.state = State::Reachable;
        e.mac = mac;
        e.solicits = 0;
        e.deadline = now + config_.reachable;
        return std::exchange(e.pending, {});
    }

    void forget(const Addr &addr) { entries_.erase(addr); }

    Instant pollAt() const
    {
        Instant next = kNever;
        for (const auto &[addr, e] : entries_)
            if (e.state != State::Stale) next = std::min(next, e.deadline);
        return next;
    }

    // Runs due timers. `solicit(addr, unicastTo)` sends a solicitation: broadcast/multicast when
    // unicastTo is null (Incomplete retry), else a unicast NUD probe to the cached MAC (Probe).
    // `gaveUp(addr, droppedPackets, probing)` reports an entry removed: Incomplete after
    // maxSolicits (RFC 4861 section 7.3.3: "If no Neighbor Advertisement is received after
    // MAX_MULTICAST_SOLICIT solicitations, address resolution has failed") or Probe after
    // maxUnicastSolicits ("If no response is received after waiting RetransTimer milliseconds
    // after sending the MAX_UNICAST_SOLICIT solicitations, retransmissions cease and the entry
    // SHOULD be deleted"). `changed(addr, from, to)` reports every timer-driven state change.
    template <class Solicit, class GaveUp, class Changed>
    void poll(Instant now, Solicit &&solicit, GaveUp &&gaveUp, Changed &&changed)
    {
        for (auto it = entries_.begin(); it != entries_.end();) {
            Entry &e = it->second;
            if (e.state == State::Stale || e.deadline > now) {
                ++it;
                continue;
            }
            const Addr addr = it->first;
            switch (e.state) {
            case State::Reachable:
                // Section 7.3.3: "When ReachableTime milliseconds have passed since receipt of the
                // last reachability confirmation for a neighbor, the Neighbor Cache entry's state
                // changes from REACHABLE to STALE."
                e.state = State::Stale;
                ++counters_.stale;
                changed(addr, State::Reachable, State::Stale);
                ++it;
                continue;
            case State::Delay:
                // Section 7.3.3: "If the entry is still in the DELAY state when the timer expires,
                // the entry's state changes to PROBE."
                e.state = State::Probe;
                e.solicits = 1;
                e.deadline = now + config_.retransmit;
                ++counters_.probesSent;
                changed(addr, State::Delay, State::Probe);
                solicit(addr, std::optional<MacAddr>(e.mac));
                ++it;
                continue;
            case State::Probe:
                if (e.solicits >= config_.maxUnicastSolicits) {
                    ++counters_.unreachable;
                    const std::size_t dropped = e.pending.size();
                    counters_.pendingDropped += dropped;
                    it = entries_.erase(it);
                    gaveUp(addr, dropped, true);
                    continue;
                }
                ++e.solicits;
                ++counters_.probesSent;
                e.deadline = now + config_.retransmit;
                solicit(addr, std::optional<MacAddr>(e.mac));
                ++it;
                continue;
            default: break;
            }
            if (e.solicits >= config_.maxSolicits) {
                ++counters_.gaveUp;
                const std::size_t dropped = e.pending.size();
                counters_.pendingDropped += dropped;
                it = entries_.erase(it);
                gaveUp(addr, dropped, false);
                continue;
            }
            ++e.solicits;
            ++counters_.solicitsSent;
            e.deadline = now + config_.retransmit;
            solicit(addr, std::optional<MacAddr>());
            ++it;
        }
    }

private:
    // Makes room by dropping a resolved entry (never an Incomplete one, which may have packets
    // waiting), a Stale one first: nothing is being sent to it.
    bool evictOne()
    {
        auto victim = entries_.end();
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->second.state == State::Stale) {
                victim = it;
                break;
            }
            if (it->second.state != State::Incomplete && victim == entries_.end()) victim = it;
        }
        if (victim == entries_.end()) return false;
        entries_.erase(victim);
        return true;
    }

    NeighborConfig config_;
    NeighborCounters counters_;
    std::map<Addr, Entry> entries_;
};

} // namespace tcplab
