// `lpc dump`: the command line of the schema interpreter (dump.cpp,
// docs/lpc-dump.md). main.cpp hands it the arguments after "dump".
#pragma once

namespace lpc::driver {

// Exit status: 0 every file accepted, 1 a parse error, 2 a usage or schema error.
int run_dump(int argc, char** argv);

}  // namespace lpc::driver
