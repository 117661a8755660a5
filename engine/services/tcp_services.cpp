#include "services/tcp_services.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace tcplab {

namespace {

constexpr std::size_t kEchoHold = 256 * 1024; // echo stops reading while this much waits to go back

// Slicing-by-8 tables (8 KiB): eight bytes per step, so a sink checking 100 MB costs little.
using CrcTables = std::array<std::array<std::uint32_t, 256>, 8>;
CrcTables makeCrcTables()
{
    CrcTables t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        t[0][i] = c;
    }
    for (std::uint32_t i = 0; i < 256; ++i)
        for (int k = 1; k < 8; ++k)
            t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
    return t;
}
const CrcTables kCrc = makeCrcTables();

// 64 KiB of the pattern plus a wrap margin, so filling is a memcpy.
std::array<std::uint8_t, 65536 + 256> makePatternBlock()
{
    std::array<std::uint8_t, 65536 + 256> b{};
    for (std::size_t i = 0; i < b.size(); ++i)
        b[i] = static_cast<std::uint8_t>(i);
    return b;
}
const std::array<std::uint8_t, 65536 + 256> kPatternBlock = makePatternBlock();

// The pattern of `source` and `--send-bytes`: byte i is i mod 256.
void fillPattern(std::uint8_t *p, std::size_t n, std::uint64_t pos)
{
    while (n) {
        const std::size_t k = std::min<std::size_t>(n, 65536);
        std::memcpy(p, kPatternBlock.data() + (pos & 0xff), k);
        p += k;
        pos += k;
        n -= k;
    }
}

} // namespace

void Crc32::add(ByteView data)
{
    std::uint32_t c = crc_;
    const std::uint8_t *p = data.data();
    std::size_t n = data.size();
    while (n >= 8) {
        const std::uint32_t lo = c ^ (std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 |
                                      std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24);
        c = kCrc[7][lo & 0xff] ^ kCrc[6][(lo >> 8) & 0xff] ^ kCrc[5][(lo >> 16) & 0xff] ^ kCrc[4][lo >> 24] ^
            kCrc[3][p[4]] ^ kCrc[2][p[5]] ^ kCrc[1][p[6]] ^ kCrc[0][p[7]];
        p += 8;
        n -= 8;
    }
    while (n--)
        c = kCrc[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    crc_ = c;
}

TcpService::TcpService(TcpLayer &tcp, EventSink &events, HostId host, std::string name, std::uint16_t port)
    : tcp_(tcp), events_(events), host_(host), name_(std::move(name)), port_(port)
{
}

TcpService::~TcpService()
{
    for (auto &[id, c] : conns_)
        (void)tcp_.abort(tcp_.now(), id);
    if (listener_) (void)tcp_.close(tcp_.now(), listener_);
}

Status TcpService::listen()
{
    auto l = tcp_.listen({IpAddr(Ip4Addr::any()), port_}, 128, [this](TcpSocketId, std::uint32_t bits) {
        if (bits & tcpready::kAcceptable) accept();
    });
    if (!l) return l.error();
    listener_ = *l;
    return okStatus();
}

void TcpService::accept()
{
    for (TcpSocketId id = tcp_.accept(listener_); id != kNoSocket; id = tcp_.accept(listener_)) {
        ++connections_;
        Conn &c = conns_[id];
        c.id = id;
        c.start = c.lastReport = now();
        tcp_.setReadyCallback(id, [this](TcpSocketId s, std::uint32_t bits) { dispatch(s, bits); });
        // accept() queued kConnected (and whatever else is pending) for this socket.
    }
}

void TcpService::dispatch(TcpSocketId id, std::uint32_t bits)
{
    auto it = conns_.find(id);
    if (it == conns_.end()) return;
    onReady(it->second, bits);
    // The state alone: this runs on every readiness callback of a bulk transfer.
    const auto state = tcp_.state(id);
    if (!state || *state == TcpState::Closed) {
        if (state) (void)tcp_.close(now(), id);
        conns_.erase(id);
    }
}

template <class Sink> bool TcpService::drain(Conn &c, Sink &&sink)
{
    std::array<std::uint8_t, 16384> buf;
    for (;;) {
        auto r = tcp_.recv(now(), c.id, buf);
        if (!r.ok() || *r == 0) break;
        c.in += *r;
        bytesIn_ += *r;
        if (!sink(ByteView(buf.data(), *r))) break;
    }
    return !tcp_.peerClosed(c.id);
}

void TcpService::finish(Conn &c)
{
    if (c.closing) return;
    c.closing = true;
    (void)tcp_.shutdown(now(), c.id);
}

void TcpService::note(Conn &c, std::string name, std::string detail,
                      std::vector<std::pair<std::string, std::string>> fields)
{
    Event e;
    e.time = now();
    e.kind = EventKind::ServiceNote;
    e.host = host_;
    e.name = std::move(name);
    e.detail = std::move(detail);
    e.fields = std::move(fields);
    e.fields.emplace_back("service", name_);
    e.fields.emplace_back("socket", std::to_string(c.id));
    events_.onEvent(e);
}

namespace {

// RFC 862: "Once a connection is established any data received is sent back."
class EchoService final : public TcpService {
public:
    EchoService(TcpLayer &tcp, EventSink &events, HostId host, std::string name, std::uint16_t port)
        : TcpService(tcp, events, host, std::move(name), port)
    {
    }
    void onReady(Conn &c, std::uint32_t) override
    {
        for (;;) {
            flush(c);
            if (c.pending.size() - c.pendingOff >= kEchoHold) return; // back-pressure through the window
            std::size_t got = 0;
            const bool open = drain(c, [&](ByteView d) {
                c.pending.insert(c.pending.end(), d.begin(), d.end());
                got += d.size();
                return c.pending.size() - c.pendingOff < kEchoHold;
            });
            flush(c);
            if (!open && c.pendingOff == c.pending.size()) {
                finish(c);
                return;
            }
            if (got == 0) return;
        }
    }

private:
    void flush(Conn &c)
    {
        while (c.pendingOff < c.pending.size()) {
            auto r = tcp_.send(now(), c.id, ByteView(c.pending).subspan(c.pendingOff));
            if (!r.ok() || *r == 0) break;
            c.pendingOff += *r;
            c.out += *r;
            bytesOut_ += *r;
        }
        if (c.pendingOff == c.pending.size()) {
            c.pending.clear();
            c.pendingOff = 0;
        }
    }
};

// RFC 863: "Once a connection is established any data received is thrown away."
// `sink` does the same and reports the rate every second and a CRC-32 at the end.
class SinkService final : public TcpService {
public:
    SinkService(TcpLayer &tcp, EventSink &events, HostId host, std::string name, std::uint16_t port,
                bool report)
        : TcpService(tcp, events, host, std::move(name), port), report_(report)
    {
    }
    void onReady(Conn &c, std::uint32_t) override
    {
        const bool open = drain(c, [&](ByteView d) {
            if (report_) c.crc.add(d);
            return true;
        });
        if (report_ && now() - c.lastReport >= 1s) {
            const double secs = std::chrono::duration<double>(now() - c.lastReport).count();
            const double mbit = double(c.in - c.lastReportBytes) * 8 / secs / 1e6;
            note(c, "sink-rate", std::to_string(static_cast<long long>(mbit)) + " Mbit/s",
                 {{"bytes", std::to_string(c.in)}, {"mbit_per_s", std::to_string(mbit)}});
            c.lastReport = now();
            c.lastReportBytes = c.in;
        }
        if (!open) {
            if (report_) {
                const double secs = std::max(1e-9, std::chrono::duration<double>(now() - c.start).count());
                char crc[16];
                std::snprintf(crc, sizeof crc, "%08x", c.crc.value());
                note(c, "sink-done",
                     std::to_string(c.in) + " bytes in " + std::to_string(secs) + " s, crc32 " + crc,
                     {{"bytes", std::to_string(c.in)},
                      {"seconds", std::to_string(secs)},
                      {"mbit_per_s", std::to_string(double(c.in) * 8 / secs / 1e6)},
                      {"crc32", crc}});
            }
            finish(c);
        }
    }

private:
    bool report_;
};

// RFC 864: "Once a connection is established the server sends a stream of data. Any data received
// is thrown away." The classic 72-character lines of the 95 printable characters, rotating.
// `source` sends the byte pattern instead (i mod 256) so a receiver can check it.
class StreamService final : public TcpService {
public:
    StreamService(TcpLayer &tcp, EventSink &events, HostId host, std::string name, std::uint16_t port,
                  bool chargen)
        : TcpService(tcp, events, host, std::move(name), port), chargen_(chargen)
    {
    }
    void onReady(Conn &c, std::uint32_t) override
    {
        const bool open = drain(c, [](ByteView) { return true; });
        if (!open || c.closing) {
            // The peer closed (or reset): stop the stream.
            finish(c);
            return;
        }
        std::array<std::uint8_t, 16384> buf;
        for (;;) {
            const std::size_t space = tcp_.sendSpace(c.id);
            if (space == 0) break;
            // The pattern is sent straight from its block (byte i is i mod 256: the block from
            // offset pos mod 256 on is the stream from pos), without a copy into `buf` first.
            const std::size_t n = std::min(space, chargen_ ? buf.size() : std::size_t(65536));
            ByteView data;
            if (chargen_) {
                fillChargen(buf.data(), n, c.streamPos);
                data = ByteView(buf.data(), n);
            } else {
                data = ByteView(kPatternBlock.data() + (c.streamPos & 0xff), n);
            }
            auto r = tcp_.send(now(), c.id, data);
            if (!r.ok() || *r == 0) break;
            c.streamPos += *r;
            c.out += *r;
            bytesOut_ += *r;
        }
    }

private:
    static void fillChargen(std::uint8_t *p, std::size_t n, std::uint64_t pos)
    {
        // Line k (74 bytes with CRLF) starts at printable character k mod 95.
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint64_t at = pos + i;
            const std::uint64_t line = at / 74, col = at % 74;
            if (col == 72)
                p[i] = '\r';
            else if (col == 73)
                p[i] = '\n';
            else
                p[i] = static_cast<std::uint8_t>(' ' + (line + col) % 95);
        }
    }
    bool chargen_;
};

// A small HTTP/1.1 responder (RFC 9112): GET and HEAD of any path give a page about the
// connection; the response closes the connection.
class HttpService final : public TcpService {
public:
    HttpService(TcpLayer &tcp, EventSink &events, HostId host, std::string name, std::uint16_t port)
        : TcpService(tcp, events, host, std::move(name), port)
    {
    }
    void onReady(Conn &c, std::uint32_t) override
    {
        if (c.closing) {
            drain(c, [](ByteView) { return true; });
            return;
        }
        const bool open = drain(c, [&](ByteView d) {
            c.pending.insert(c.pending.end(), d.begin(), d.end());
            return c.pending.size() < 16384;
        });
        const std::string_view req(reinterpret_cast<const char *>(c.pending.data()), c.pending.size());
        const auto end = req.find("\r\n\r\n");
        if (end == std::string_view::npos) {
            if (c.pending.size() >= 16384)
                respond(c, "431 Request Header Fields Too Large", "GET", "/", "request too large\n");
            else if (!open)
                finish(c);
            return;
        }
        const auto lineEnd = req.find("\r\n");
        const std::string_view line = req.substr(0, lineEnd);
        const auto sp1 = line.find(' '), sp2 = line.rfind(' ');
        if (sp1 == std::string_view::npos || sp2 <= sp1) {
            respond(c, "400 Bad Request", "GET", "/", "bad request line\n");
            return;
        }
        const std::string method(line.substr(0, sp1)), path(line.substr(sp1 + 1, sp2 - sp1 - 1));
        if (method != "GET" && method != "HEAD") {
            respond(c, "405 Method Not Allowed", "GET", path, "only GET and HEAD\n");
            return;
        }
        ++served_;
        const auto info = tcp_.info(c.id);
        std::string body =
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>TCP Lab</title></head><body>\n"
            "<h1>Hello from TCP Lab</h1>\n<p>You asked for <code>" +
            escape(path) + "</code>.</p>\n";
        if (info) {
            body += "<p>Your connection: " + escape(info->tcb.remote.toString()) + " &rarr; " +
                    escape(info->tcb.local.toString()) + ", MSS " + std::to_string(info->sndMss) +
                    ", window scaling " + (info->wscaleOk ? "on" : "off") + ", timestamps " +
                    (info->tsOk ? "on" : "off") + ", SACK " + (info->sackOk ? "on" : "off") + ".</p>\n";
        }
        body += "<p>Requests served: " + std::to_string(served_) + "</p>\n</body></html>\n";
        respond(c, "200 OK", method, path, body);
    }

private:
    static std::string escape(std::string_view s)
    {
        std::string out;
        for (char ch : s) {
            if (ch == '<')
                out += "&lt;";
            else if (ch == '>')
                out += "&gt;";
            else if (ch == '&')
                out += "&amp;";
            else if (ch == '"')
                out += "&quot;";
            else
                out += ch;
        }
        return out;
    }
    void respond(Conn &c, const std::string &status, const std::string &method, const std::string &path,
                 const std::string &body)
    {
        std::string head = "HTTP/1.1 " + status +
                           "\r\nServer: tcplab\r\nContent-Type: text/html; charset=utf-8\r\n"
                           "Content-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        if (method != "HEAD") head += body;
        auto r = tcp_.send(now(), c.id,
                           ByteView(reinterpret_cast<const std::uint8_t *>(head.data()), head.size()));
        if (r.ok()) {
            c.out += *r;
            bytesOut_ += *r;
        }
        note(c, "http-request", method + " " + path + " → " + status,
             {{"method", method}, {"path", path}, {"status", status.substr(0, 3)}});
        c.pending.clear();
        finish(c);
    }
    std::uint64_t served_ = 0;
};

} // namespace

Expected<std::unique_ptr<TcpService>> startTcpService(TcpLayer &tcp, EventSink &events, HostId host,
                                                      std::uint16_t port, std::string_view name)
{
    std::unique_ptr<TcpService> s;
    const std::string n(name);
    if (name == "echo")
        s.reset(new EchoService(tcp, events, host, n, port));
    else if (name == "discard")
        s.reset(new SinkService(tcp, events, host, n, port, false));
    else if (name == "sink")
        s.reset(new SinkService(tcp, events, host, n, port, true));
    else if (name == "chargen")
        s.reset(new StreamService(tcp, events, host, n, port, true));
    else if (name == "source")
        s.reset(new StreamService(tcp, events, host, n, port, false));
    else if (name == "http")
        s.reset(new HttpService(tcp, events, host, n, port));
    else
        return Error{"no TCP service \"" + n + "\" (echo, discard, chargen, http, sink, source)"};
    if (auto st = s->listen(); !st)
        return Error{"TCP " + n + " on port " + std::to_string(port) + ": " + st.error().message};
    return s;
}

// ---------------------------------------------------------------- client

TcpClient::TcpClient(TcpLayer &tcp, Options options, std::function<void(const TcpClientResult &)> done)
    : tcp_(tcp), opt_(std::move(options)), done_(std::move(done))
{
}

Status TcpClient::start(Instant now)
{
    start_ = now;
    auto s = tcp_.connect(now, opt_.local, opt_.remote,
                          [this](TcpSocketId, std::uint32_t bits) { onReady(bits); });
    if (!s) return s.error();
    sock_ = *s;
    return okStatus();
}

void TcpClient::write()
{
    const std::uint64_t total = opt_.bytes ? opt_.bytes : opt_.text.size();
    std::array<std::uint8_t, 16384> buf;
    while (queued_ < total) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), total - queued_));
        if (opt_.bytes)
            fillPattern(buf.data(), n, queued_);
        else
            std::copy_n(opt_.text.data() + queued_, n, buf.data());
        auto r = tcp_.send(tcp_.now(), sock_, ByteView(buf.data(), n));
        if (!r.ok() || *r == 0) return;
        queued_ += *r;
    }
    if (!shut_) {
        shut_ = true;
        (void)tcp_.shutdown(tcp_.now(), sock_);
    }
}

void TcpClient::onReady(std::uint32_t bits)
{
    if (finished_) return;
    if (bits & tcpready::kConnected) result_.connected = true;
    if (bits & (tcpready::kConnected | tcpready::kWritable)) write();
    std::array<std::uint8_t, 16384> buf;
    for (;;) {
        auto r = tcp_.recv(tcp_.now(), sock_, buf);
        if (!r.ok() || *r == 0) break;
        crc_.add(ByteView(buf.data(), *r));
        result_.bytesReceived += *r;
        const std::size_t keep =
            std::min<std::size_t>(*r, 65536 - std::min<std::size_t>(65536, result_.receivedText.size()));
        result_.receivedText.append(reinterpret_cast<const char *>(buf.data()), keep);
    }
    const auto info = tcp_.info(sock_);
    if (!info) return;
    const bool over = info->tcb.state == TcpState::Closed || info->tcb.state == TcpState::TimeWait ||
                      (shut_ && tcp_.peerClosed(sock_) && info->tcb.state != TcpState::FinWait1 &&
                       info->tcb.state != TcpState::Closing);
    if (over) complete();
}

void TcpClient::complete()
{
    finished_ = true;
    const auto info = tcp_.info(sock_);
    if (info) result_.info = *info;
    result_.error = info ? info->error : "socket gone";
    result_.bytesSent = queued_ - (info ? info->sendQueued : 0);
    result_.crc32Received = crc_.value();
    result_.elapsed = tcp_.now() - start_;
    (void)tcp_.close(tcp_.now(), sock_);
    if (done_) done_(result_);
}

} // namespace tcplab
