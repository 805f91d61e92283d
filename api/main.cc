// `loyalty` entry point and composition root: reads the environment, wires adapters, dispatches.
#include <cstdlib>
#include <iostream>

#include "api/cli/commands.h"
#include "api/logging.h"

int main(int argc, char** argv) {
  using namespace loyalty::api;
  const Args args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << Usage("");
    return args.empty() ? 2 : 0;
  }
  const std::string& command = args[0];
  if (Usage(command).empty()) {
    std::cerr << "unknown command '" << command << "'\n" << Usage("");
    return 2;
  }
  if (args.size() > 1 && args[1] == "--help") {
    std::cout << Usage(command);
    return 0;
  }

  auto options = OptionsFromEnv([](const char* name) { return std::getenv(name); });
  if (!options) {
    std::cerr << "configuration error: " << options.error().message << "\n";
    return 2;
  }
  ConfigureLogging(options->log_level);
  auto runtime = BuildRuntime(*options);
  if (!runtime) {
    std::cerr << "configuration error: " << runtime.error().message << "\n";
    return 2;
  }
  if (command == "serve") {
    if (args.size() > 1) {
      std::cerr << Usage("serve");
      return 2;
    }
    return ServeCommand(**runtime);
  }
  if (command == "migrate") return MigrateCommand(**runtime);
  if (command == "audit") return AuditCommand(**runtime);
  if (command == "import-poslog") {
    return ImportPoslogCommand(**runtime, Args(args.begin() + 1, args.end()));
  }
  if (command == "activate") return SweepCommand(**runtime, true, false);
  if (command == "expire") return SweepCommand(**runtime, false, true);
  return AdminCommand(**runtime, Args(args.begin() + 1, args.end()));
}
