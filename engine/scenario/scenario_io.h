// Loading and saving scenario files (TOML, comments allowed). Loading either yields a whole
// scenario or every mistake found, each as "file:line:col: message" (unknown keys, bad flag names,
// bad states, bad expressions, out-of-range values): never a half-loaded scenario.
// load(save(s)) == s for every scenario, comments included (scenario/toml_comments.h).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "scenario/scenario.h"

namespace tcplab {

// Parses scenario text; `fileName` is used in error messages.
Expected<Scenario> loadScenario(std::string_view text, std::string_view fileName);
Expected<Scenario> loadScenarioFile(const std::string &path);
std::string saveScenario(const Scenario &scenario);

// One rule in the scenario syntax (the [[rules]] table body), for the GUI's rule editor, with its
// comments: the ones of its [[rules]] line lead the text. loadRule(saveRule(r)) == r.
Expected<ScenarioRule> loadRule(std::string_view text, std::string_view fileName);
std::string saveRule(const ScenarioRule &rule);

struct BuiltinScenario {
    std::string_view name; // file name without .toml
    std::string_view text;
};
// The library shipped in resources/scenarios, compiled in (works with nothing installed).
std::span<const BuiltinScenario> builtinScenarios();
// "NAME" from the library, or a path to a file (anything with a '/' or ending in .toml).
Expected<Scenario> loadScenarioByNameOrFile(const std::string &nameOrPath);

} // namespace tcplab
