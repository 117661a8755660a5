// The engine's scenario and rule model for Qt code: packet_hook.h declares a method named `emit`,
// which is a Qt keyword macro; include the engine headers with the macro set aside.
#pragma once

#pragma push_macro("emit")
#undef emit
#include "scenario/scenario.h"
#include "scenario/scenario_io.h"
#pragma pop_macro("emit")
