// A bounded byte ring: the send buffer (bytes from SND.UNA on) and the receive buffer (bytes from
// the application's read point on, with out-of-order data written ahead of the contiguous part).
// One allocation when the connection is made, none per segment.
#pragma once

#include <algorithm>
#include <cstring>

#include "core/bytes.h"

namespace tcplab {

class RingBuffer {
public:
    explicit RingBuffer(std::size_t capacity = 0) : buf_(capacity) {}

    std::size_t capacity() const { return buf_.size(); }
    std::size_t size() const { return size_; }
    std::size_t free() const { return buf_.size() - size_; }
    bool empty() const { return size_ == 0; }

    // Only while empty: the capacity of a connection's buffers may change until data flows.
    void resize(std::size_t capacity)
    {
        if (size_ == 0) {
            buf_.assign(capacity, 0);
            head_ = 0;
        }
    }

    // Appends as much of `data` as fits; returns how much.
    std::size_t push(ByteView data)
    {
        const std::size_t n = std::min(data.size(), free());
        writeAt(size_, data.first(n));
        size_ += n;
        return n;
    }

    // Writes `data` at `offset` past the start without changing size() (out-of-order data).
    // The caller keeps offset + data.size() <= capacity().
    void writeAt(std::size_t offset, ByteView data)
    {
        if (data.empty()) return;
        const std::size_t cap = buf_.size();
        std::size_t pos = (head_ + offset) % cap;
        const std::size_t first = std::min(data.size(), cap - pos);
        std::memcpy(buf_.data() + pos, data.data(), first);
        if (first < data.size()) std::memcpy(buf_.data(), data.data() + first, data.size() - first);
    }

    // Marks `n` more bytes (already written with writeAt) as contiguous data.
    void commit(std::size_t n) { size_ = std::min(size_ + n, buf_.size()); }

    // Copies up to out.size() bytes starting `offset` bytes past the start; returns how many.
    std::size_t peek(std::size_t offset, MutableByteView out) const
    {
        if (offset >= size_) return 0;
        const std::size_t n = std::min(out.size(), size_ - offset);
        const std::size_t cap = buf_.size();
        const std::size_t pos = (head_ + offset) % cap;
        const std::size_t first = std::min(n, cap - pos);
        std::memcpy(out.data(), buf_.data() + pos, first);
        if (first < n) std::memcpy(out.data() + first, buf_.data(), n - first);
        return n;
    }

    // The (up to two) contiguous pieces of [offset, offset+len).
    std::pair<ByteView, ByteView> pieces(std::size_t offset, std::size_t len) const
    {
        if (offset >= size_ || len == 0) return {};
        len = std::min(len, size_ - offset);
        const std::size_t cap = buf_.size();
        const std::size_t pos = (head_ + offset) % cap;
        const std::size_t first = std::min(len, cap - pos);
        return {ByteView(buf_.data() + pos, first), ByteView(buf_.data(), len - first)};
    }

    void consume(std::size_t n)
    {
        n = std::min(n, size_);
        if (buf_.empty()) return;
        head_ = (head_ + n) % buf_.size();
        size_ -= n;
    }

    std::size_t pop(MutableByteView out)
    {
        const std::size_t n = peek(0, out);
        consume(n);
        return n;
    }

private:
    Bytes buf_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace tcplab
