// The TCP side of tcplab-cli: a TcpLayer on every host of the lab, `--listen PORT:SERVICE` for
// the TCP services, and `--connect ADDR:PORT [--send TEXT | --send-bytes N]` as a client that
// prints what it received and a one-line JSON summary of the connection.
#include <csignal>
#include <cstdio>
#include <memory>
#include <mutex>
#include <unistd.h>

#include "cli/cli_options.h"
#include "cli/json_lines.h"
#include "host/engine_host.h"
#include "host/lab.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

namespace {

struct TcpCliState {
    TcpConfig config;
    std::optional<Endpoint> connect;
    std::string text;
    std::uint64_t bytes = 0;
    bool sendGiven = false;
    std::vector<TcpLayer *> layers; // by host id
    std::mutex mutex;               // guards result/finished (written on the engine thread)
    bool finished = false;
    TcpClientResult result;
};

Status flag(bool &target)
{
    target = false;
    return okStatus();
}

std::string summaryJson(const TcpCliState &s, const Endpoint &remote)
{
    const TcpClientResult &r = s.result;
    const TcbSnapshot &t = r.info.tcb;
    char crc[16];
    std::snprintf(crc, sizeof crc, "%08x", r.crc32Received);
    const double secs = std::chrono::duration<double>(r.elapsed).count();
    std::string j =
        "connection {\"remote\":" + jsonString(remote.toString()) +
        ",\"local\":" + jsonString(t.local.toString()) +
        ",\"connected\":" + (r.connected ? "true" : "false") + ",\"error\":" + jsonString(r.error) +
        ",\"state\":" + jsonString(std::string(tcpStateName(t.state))) +
        ",\"bytes_sent\":" + std::to_string(r.bytesSent) +
        ",\"bytes_received\":" + std::to_string(r.bytesReceived) + ",\"crc32_received\":\"" + crc +
        "\",\"seconds\":" + std::to_string(secs) + ",\"mss\":" + std::to_string(r.info.sndMss) +
        ",\"wscale\":" + (r.info.wscaleOk ? "true" : "false") +
        ",\"timestamps\":" + (r.info.tsOk ? "true" : "false") +
        ",\"sack\":" + (r.info.sackOk ? "true" : "false") +
        ",\"retransmits\":" + std::to_string(t.retransmits) +
        ",\"srtt_us\":" + std::to_string(t.srttNs / 1000) + ",\"cwnd\":" + std::to_string(t.cwnd) +
        ",\"congestion\":" + jsonString(r.info.congestion) + "}";
    return j;
}

} // namespace

CliExtension tcpCliExtension()
{
    auto st = std::make_shared<TcpCliState>();
    CliExtension e;
    e.name = "tcp";
    e.options = {
        {"connect", "ADDR:PORT",
         "connect to ADDR:PORT over TCP ([v6]:port for IPv6), print what comes back and a summary",
         [st](CliOptions &, std::string_view v) -> Status {
             auto ep = Endpoint::parse(v);
             if (!ep) return Error{"--connect: " + ep.error().message};
             st->connect = *ep;
             return okStatus();
         }},
        {"send", "TEXT", "with --connect: send TEXT (\\n and \\r\\n escapes understood), then half-close",
         [st](CliOptions &, std::string_view v) -> Status {
             std::string out;
             for (std::size_t i = 0; i < v.size(); ++i) {
                 if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == 'n' || v[i + 1] == 'r')) {
                     out += v[i + 1] == 'n' ? '\n' : '\r';
                     ++i;
                 } else {
                     out += v[i];
                 }
             }
             st->text = out;
             st->sendGiven = true;
             return okStatus();
         }},
        {"send-bytes", "N", "with --connect: send N bytes (byte i = i mod 256), then half-close",
         [st](CliOptions &, std::string_view v) -> Status {
             const auto n = parseCount(v);
             if (!n) return Error{"--send-bytes: expected a byte count, got \"" + std::string(v) + "\""};
             st->bytes = *n;
             st->sendGiven = true;
             return okStatus();
         }},
        {"tcp-cc", "ALGO", "congestion control: cubic (default) or newreno",
         [st](CliOptions &, std::string_view v) -> Status {
             if (!congestionAlgorithmFromName(v, st->config.socket.congestion))
                 return Error{"--tcp-cc: expected cubic or newreno, got \"" + std::string(v) + "\""};
             return okStatus();
         }},
        {"tcp-no-sack", "", "do not offer SACK (RFC 2018)",
         [st](CliOptions &, std::string_view) { return flag(st->config.socket.sack); }},
        {"tcp-no-timestamps", "", "do not offer timestamps (RFC 7323)",
         [st](CliOptions &, std::string_view) { return flag(st->config.socket.timestamps); }},
        {"tcp-no-wscale", "", "do not offer window scaling (RFC 7323)",
         [st](CliOptions &, std::string_view) { return flag(st->config.socket.windowScale); }},
        {"tcp-closed-port", "rst|silent", "what a closed TCP port answers (default rst)",
         [st](CliOptions &, std::string_view v) -> Status {
             if (v == "rst")
                 st->config.closedPort = ClosedPortPolicy::Rst;
             else if (v == "silent")
                 st->config.closedPort = ClosedPortPolicy::Silent;
             else
                 return Error{"--tcp-closed-port: expected rst or silent, got \"" + std::string(v) + "\""};
             return okStatus();
         }},
        {"tcp-msl", "SECONDS", "maximum segment lifetime (TIME-WAIT lasts twice this; default 30)",
         [st](CliOptions &, std::string_view v) -> Status {
             try {
                 st->config.msl = std::chrono::duration_cast<Duration>(
                     std::chrono::duration<double>(std::stod(std::string(v))));
             } catch (...) {
                 return Error{"--tcp-msl: expected seconds, got \"" + std::string(v) + "\""};
             }
             return okStatus();
         }},
    };
    e.setup = [st](CliContext &ctx) -> Status {
        if (st->sendGiven && !st->connect) return Error{"--send and --send-bytes need --connect ADDR:PORT"};
        for (std::size_t i = 0; i < ctx.lab.hostCount(); ++i) {
            Host &h = ctx.lab.host(static_cast<HostId>(i));
            st->layers.push_back(&ctx.lab.addTcp(h, st->config));
        }
        if (!st->connect) return okStatus();
        // The client runs on the first host (the tap host, or the demo's client).
        Host &h = ctx.lab.host(0);
        const auto src = h.sourceFor(st->connect->addr);
        if (!src) return Error{"--connect " + st->connect->toString() + ": no local address of that family"};
        TcpClient::Options o{{*src, 0}, *st->connect, st->text, st->bytes};
        auto client = std::make_unique<TcpClient>(*st->layers[0], o, [st](const TcpClientResult &r) {
            {
                std::lock_guard lock(st->mutex);
                st->result = r;
                st->finished = true;
            }
            // The CLI waits for SIGINT/SIGTERM on a signalfd (or --duration): ending it the same way
            // as a user would keeps cli_main unaware of clients.
            ::kill(::getpid(), SIGTERM);
        });
        TcpClient &ref = ctx.lab.keep(std::move(client));
        ctx.engine.post([&ref, st](Lab &lab) {
            if (auto s = ref.start(lab.now()); !s) {
                std::lock_guard lock(st->mutex);
                st->result.error = s.error().message;
                st->finished = true;
                ::kill(::getpid(), SIGTERM);
            }
        });
        return okStatus();
    };
    e.listen = [st](CliContext &ctx, const ListenSpec &spec) -> std::optional<Status> {
        if (spec.udp) return std::nullopt;
        // Services run on the last host: the tap host, or the demo's server.
        const HostId id = static_cast<HostId>(ctx.lab.hostCount() - 1);
        auto svc = startTcpService(*st->layers.at(id), ctx.lab.events(), id, spec.port, spec.service);
        if (!svc) return Status(svc.error());
        ctx.lab.keep(std::move(svc.value()));
        return okStatus();
    };
    e.finish = [st](CliContext &ctx) {
        if (!st->connect) return;
        std::lock_guard lock(st->mutex);
        if (!st->finished) {
            ctx.out << "connection {\"remote\":" << jsonString(st->connect->toString())
                    << ",\"error\":\"not finished when the run ended\"}\n";
            return;
        }
        if (st->bytes == 0 && !st->result.receivedText.empty()) {
            ctx.out << st->result.receivedText;
            if (st->result.receivedText.back() != '\n') ctx.out << '\n';
        }
        ctx.out << summaryJson(*st, *st->connect) << std::endl;
    };
    e.readyNote = [st] {
        return std::string("tcp=on") + (st->connect ? " connect=" + st->connect->toString() : "");
    };
    return e;
}

} // namespace tcplab
