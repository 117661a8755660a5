// A stand-alone `inspect` for the capture tests (the same code tcplab-cli runs for `inspect`).
#include <iostream>

#include "cli/cli_capture.h"

int main(int argc, char **argv)
{
    return tcplab::cli::runInspect(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
