// Runs the real `loyalty` binary as a child process for e2e tests: migrate/admin commands, and
// `serve` on a free loopback port with its stderr (JSON logs) captured to a file.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace loyalty::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// The environment a server process gets: LOYALTY_MYSQL_URL, LOYALTY_REDIS_URL,
// LOYALTY_MASTER_KEY and anything else the test sets.
using Environment = std::map<std::string, std::string>;

// Runs `loyalty ARGS...` to completion, feeding `stdin_text` to it.
CommandResult RunLoyalty(const Environment& env, const std::vector<std::string>& args,
                         const std::string& stdin_text = "");

class ServerProcess {
 public:
  // Starts `loyalty serve` on a free port and waits (up to 20 s) until /healthz answers.
  explicit ServerProcess(Environment env);
  ~ServerProcess();  // SIGTERM, then waits for a clean exit
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  // Everything the server logged so far.
  std::string Log() const;
  // Sends SIGTERM and returns the exit status (0 for a clean shutdown).
  int Stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_path_;
};

// Creates the demo-like staff every e2e suite needs (password `kTestPassword`) through
// `loyalty admin create-staff`: admin, marketer, manager1 (S1), manager2 (S2), cashier1 (S1),
// auditor.
inline constexpr const char* kTestPassword = "test-pass-2026";
void CreateStandardStaff(const Environment& env);

}  // namespace loyalty::testing
