// The `loyalty` subcommands. Each returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "api/runtime.h"

namespace loyalty::api {

using Args = std::vector<std::string>;

int ServeCommand(Runtime& rt);
int MigrateCommand(Runtime& rt);
int AdminCommand(Runtime& rt, const Args& args);  // args after "admin"
int SeedDemo(Runtime& rt);

// Usage text for `loyalty --help` and `loyalty <command> --help`; empty for unknown commands.
std::string Usage(const std::string& command);

}  // namespace loyalty::api
