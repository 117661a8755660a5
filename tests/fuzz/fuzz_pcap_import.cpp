// Fuzz target: pcap/pcapng import (libpcap for packets, our block reader for comments, flags and
// interfaces, the annotation JSON reader), then session rebuilding, analysis and the text flows of
// `inspect`. Whatever the bytes: no crash, no out-of-bounds read, and either an error that names an
// offset or a store whose every record can be read back.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "capture/annotation_json.h"
#include "capture/capture_import.h"
#include "capture/flow_text.h"
#include "capture/pcapng_blocks.h"

using namespace tcplab;

namespace {

volatile std::size_t escape = 0;  // keeps the reads below from being optimised away

void require(bool condition, const char *what)
{
    if (condition) return;
    std::fprintf(stderr, "fuzz_pcap_import invariant broken: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const ByteView input(data, size);
    std::size_t seen = 0;
    StoreConfig cfg;
    cfg.memoryLimit = 64u << 20;  // a fuzz input never needs more; refusals are part of the contract
    cfg.onFull = StoreConfig::OnFull::Stop;
    PacketStore store(cfg);
    FlowTracker flows;
    auto result = importCaptureBytes(input, "fuzz", store, flows);
    if (!result) {
        const std::string &m = result.error().message;
        require(m.rfind("fuzz:", 0) == 0, "error does not name the file");
    } else {
        require(result->packets == store.size(), "packet count differs from the store");
        for (std::uint64_t i = 0; i < store.size(); ++i) {
            const PacketView p = store.packet(i);
            for (const Annotation *a = p.firstNote; a; a = a->nextNote()) seen += a->text.size();
            seen += p.bytes.size();
        }
        seen += renderAllFlows(store, flows).size();
    }
    // The block reader and the JSON reader on their own, on the same bytes.
    if (auto blocks = pcapng::readBlocks(input, "fuzz")) {
        for (const auto &p : blocks->packets) {
            require(p.dataOffset + p.capturedLength <= size, "packet data outside the file");
            if (!p.customJson.empty()) seen += annotationsFromJson(p.customJson).ok();
        }
    }
    seen += annotationsFromJson(std::string(reinterpret_cast<const char *>(data), size)).ok();
    escape = seen;
    return 0;
}
