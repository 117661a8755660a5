// The CLI extensions compiled into tcplab-cli. Each layer that adds options (TCP services,
// scenarios, pcap capture) provides one function in its own cli/ file and adds one line here.
#include "cli/cli_capture.h"
#include "cli/cli_options.h"

namespace tcplab {

CliExtension tcpCliExtension();  // cli_tcp.cpp
CliExtension scenarioCliExtension();  // cli_scenario.cpp

std::vector<CliExtension> cliExtensions()
{
    std::vector<CliExtension> out;
    out.push_back(tcpCliExtension());
    out.push_back(captureCliExtension());
    out.push_back(scenarioCliExtension());
    return out;
}

}  // namespace tcplab
