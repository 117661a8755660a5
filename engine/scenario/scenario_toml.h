// Internal: the parts of the scenario loader and saver that deal with rules.
#pragma once

#include "scenario/scenario.h"
#include "scenario/toml_reader.h"

namespace tcplab {

std::optional<ScenarioRule> readRule(TomlReader &r, const toml::table &t);
toml::table writeRule(const ScenarioRule &rule);

}  // namespace tcplab
