// The neighbour cache shared by ARP (RFC 826, IPv4) and Neighbor Discovery (RFC 4861, IPv6): maps
// an on-link address to a MAC address, probes for unknown ones, keeps a small queue of packets
// waiting for the answer, and forgets entries after a while so a moved neighbour is re-learned.
//
// States, a simplified RFC 4861 section 7.3.2 model (no NUD probing of stale entries: an expired
// entry is simply removed and the next packet re-resolves it):
//   Incomplete: a solicitation is outstanding; packets queue (at most maxPending per neighbour).
//   Reachable:  the MAC is known until `expires`.
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
    // RFC 4861 section 10: REACHABLE_TIME 30 s; we keep entries that long after the last
    // confirmation, then drop them.
    Duration reachable = std::chrono::seconds(30);
    // RFC 1122 section 2.3.2.2: "The link layer SHOULD save (rather than discard) at least one
    // (the latest) packet of each set of packets destined to the same unresolved IP address".
    std::size_t maxPending = 8;
    std::size_t maxEntries = 1024;  // a flood of new destinations cannot grow the cache past this
};

struct NeighborCounters {
    std::uint64_t solicitsSent = 0;    // requests / NS, retries included
    std::uint64_t resolved = 0;        // an Incomplete entry got its answer
    std::uint64_t gaveUp = 0;          // maxSolicits unanswered
    std::uint64_t pendingDropped = 0;  // queued packets thrown away (overflow or gave up)
    std::uint64_t expired = 0;         // Reachable entries forgotten
};

// An IP packet waiting for its next hop's MAC address.
struct PendingPacket {
    Bytes ip;
    SessionId session = kNoSession;
};

template <class Addr>
class NeighborCache {
public:
    enum class State : std::uint8_t { Incomplete, Reachable };
    struct Entry {
        State state = State::Incomplete;
        MacAddr mac;
        Instant deadline{};  // next solicitation (Incomplete) or expiry (Reachable)
        int solicits = 0;
        std::deque<PendingPacket> pending;  // IP packets waiting for the MAC
    };

    explicit NeighborCache(NeighborConfig config = {}) : config_(config) {}

    const NeighborConfig &config() const { return config_; }
    const NeighborCounters &counters() const { return counters_; }
    const std::map<Addr, Entry> &entries() const { return entries_; }

    std::optional<MacAddr> lookup(const Addr &addr) const
    {
        auto it = entries_.find(addr);
        if (it == entries_.end() || it->second.state != State::Reachable) return std::nullopt;
        return it->second.mac;
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
        for (const auto &[addr, e] : entries_) next = std::min(next, e.deadline);
        return next;
    }

    // Runs due timers: `solicit(addr)` for a retry, `gaveUp(addr, droppedPackets)` when the last
    // solicitation went unanswered (RFC 4861 section 7.3.3: "If no Neighbor Advertisement is
    // received after MAX_MULTICAST_SOLICIT solicitations, address resolution has failed").
    template <class Solicit, class GaveUp>
    void poll(Instant now, Solicit &&solicit, GaveUp &&gaveUp)
    {
        for (auto it = entries_.begin(); it != entries_.end();) {
            Entry &e = it->second;
            if (e.deadline > now) {
                ++it;
                continue;
            }
            if (e.state == State::Reachable) {
                ++counters_.expired;
                it = entries_.erase(it);
                continue;
            }
            if (e.solicits >= config_.maxSolicits) {
                ++counters_.gaveUp;
                counters_.pendingDropped += e.pending.size();
                const Addr addr = it->first;
                const std::size_t dropped = e.pending.size();
                it = entries_.erase(it);
                gaveUp(addr, dropped);
                continue;
            }
            ++e.solicits;
            ++counters_.solicitsSent;
            e.deadline = now + config_.retransmit;
            solicit(it->first);
            ++it;
        }
    }

private:
    // Makes room by dropping a Reachable entry (never one with packets waiting).
    bool evictOne()
    {
        for (auto it = entries_.begin(); it != entries_.end(); ++it) {
            if (it->second.state == State::Reachable) {
                entries_.erase(it);
                return true;
            }
        }
        return false;
    }

    NeighborConfig config_;
    NeighborCounters counters_;
    std::map<Addr, Entry> entries_;
};

}  // namespace tcplab
