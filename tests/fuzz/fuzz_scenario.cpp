// Fuzzes scenario files: loading never crashes; every error line has the file:line:col: shape;
// whatever loads saves to text that loads back to the same scenario.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "scenario/scenario_io.h"

using namespace tcplab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    auto s = loadScenario(text, "f.toml");
    if (!s.ok()) {
        const std::string &m = s.error().message;
        if (m.rfind("f.toml:", 0) != 0) std::abort();
        return 0;
    }
    const std::string saved = saveScenario(*s);
    auto again = loadScenario(saved, "saved.toml");
    if (!again.ok() || !(*again == *s)) std::abort();
    return 0;
}
