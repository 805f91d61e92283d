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
// Exit 1 naming every member whose account does not match its entries and lots.
int AuditCommand(Runtime& rt);
// Imports ARTS POSLog files; prints one JSON report per file. Exit 1 when a file could not be
// read or was refused as a whole (its transactions' refusals are in the report).
int ImportPoslogCommand(Runtime& rt, const Args& files);
// Activation and/or expiry of whatever is due now; prints what it did.
int SweepCommand(Runtime& rt, bool activate, bool expire);

// Usage text for `loyalty --help` and `loyalty <command> --help`; empty for unknown commands.
std::string Usage(const std::string& command);

}  // namespace loyalty::api
