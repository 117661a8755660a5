// Memory a link may read received frames into instead of a buffer of its own. A host's recorder
// offers the end of its store's frame arena (Recorder::receiveRoom): a received frame read there is
// stored by the read itself, and the store keeps it where it landed instead of copying it.
#pragma once

#include <cstddef>

#include "core/bytes.h"

namespace tcplab {

class ReceiveRoom {
public:
    virtual ~ReceiveRoom() = default;
    // Room for the next received frame, at most `bytes` of it: less when the memory at hand ends
    // sooner (a frame longer than that goes elsewhere), empty when there is none. Valid until the
    // next call of room() or filled().
    virtual MutableByteView room(std::size_t bytes) = 0;
    // The next received frame was read into the first `bytes` of the last room. Those bytes are
    // never moved or reused; the frame handed on with exactly them is kept where it is.
    virtual void filled(std::size_t bytes) = 0;
};

} // namespace tcplab
