// The machine-readable copy of a frame's annotations carried in our pcapng custom option:
// {"fate":"dropped-by-rule","session":3,"annotations":[{"kind":"rule","text":"...","fields":{"k":"v"}}]}
// The reader accepts exactly what the writer produces (and any JSON of that shape); anything else is
// refused with the reason, and the importer falls back to the comments.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "capture/packet_store.h"
#include "core/expected.h"

namespace tcplab {

struct JsonAnnotation {
    AnnotationKind kind = AnnotationKind::Note;
    std::string text;
    std::vector<std::pair<std::string, std::string>> fields;
};

// `extra` follows the frame's own annotations (the receiver's notes merged into a frame written
// once, see capture_export.h).
std::string annotationsToJson(const PacketView &p, const std::vector<JsonAnnotation> &extra = {});
Expected<std::vector<JsonAnnotation>> annotationsFromJson(const std::string &json);

const char *frameFateName(FrameFate f);

} // namespace tcplab
