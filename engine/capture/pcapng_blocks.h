// pcapng blocks (draft-ietf-opsawg-pcapng-02) and classic pcap records, written and read byte by
// byte. The reader is ours because libpcap gives packets but not the comments, flags and
// interface options we need to restore a TCP Lab capture; it never reads past the buffer and
// reports every problem with the file offset where it found it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/packet_store.h"
#include "core/bytes.h"
#include "core/expected.h"

namespace tcplab::pcapng {

inline constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A, kInterface = 1, kObsoletePacket = 2,
                               kSimplePacket = 3, kEnhancedPacket = 6, kByteOrderMagic = 0x1A2B3C4D;
inline constexpr std::uint16_t kOptEnd = 0, kOptComment = 1, kOptCustomStringCopy = 2988;
inline constexpr std::uint32_t kPen = 32473; // see capture_export.h

// if_description we write, so that an import can give frames back their host and link.
std::string interfaceDescription(HostId host, LinkId link);
bool parseInterfaceDescription(const std::string &text, HostId &host, LinkId &link);

void appendSectionHeader(Bytes &out, const std::string &application, const std::string &os,
                         const std::string &comment = {});
void appendInterface(Bytes &out, const InterfaceInfo &info);

struct EnhancedPacket {
    std::uint32_t interfaceId = 0;
    std::uint64_t timestampNs = 0;
    ByteView bytes;
    std::uint32_t originalLength = 0;
    std::uint32_t flags = 0; // epb_flags; 0 = do not write the option
    std::vector<std::string> comments;
    std::string customJson; // empty = no custom option
};
void appendEnhancedPacket(Bytes &out, const EnhancedPacket &packet);

// Classic pcap with nanosecond timestamps (magic a1b23c4d).
void appendPcapHeader(Bytes &out, std::uint16_t linkType, std::uint32_t snapLength = 262144);
void appendPcapRecord(Bytes &out, std::uint64_t timestampNs, ByteView bytes, std::uint32_t originalLength);

// What the block reader found in a pcapng file.
struct FileInterface {
    InterfaceInfo info;
    bool fromTcpLab = false;  // if_description carried our host/link
    std::uint8_t tsresol = 6; // if_tsresol as written (default: microseconds)
};
struct FilePacket {
    std::uint64_t offset = 0; // of the block in the file
    std::uint32_t interfaceId = 0;
    std::uint64_t timestamp = 0; // in the interface's units
    std::uint32_t capturedLength = 0, originalLength = 0;
    std::uint64_t dataOffset = 0; // of the packet bytes in the file
    bool hasFlags = false;
    std::uint32_t flags = 0;
    std::vector<std::string> comments;
    std::string customJson;
};
struct FileContents {
    std::string application, os;
    std::vector<FileInterface> interfaces;
    std::vector<FilePacket> packets;
};

// `name` goes into error messages ("capture.pcapng: block at offset 1234: ...").
Expected<FileContents> readBlocks(ByteView file, const std::string &name);

} // namespace tcplab::pcapng
