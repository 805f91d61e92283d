// Child-process management for e2e tests (fork/exec of the built `loyalty` binary).
#include "tests/support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/http_client.h"
#include "tests/support/test_env.h"

namespace loyalty::testing {
namespace {

// fork + exec of LOYALTY_BINARY with a clean environment; stdout/stderr to `output_path`.
pid_t Spawn(const Environment& env, const std::vector<std::string>& args,
            const std::string& output_path, int stdin_fd) {
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  env_strings.push_back("PATH=/usr/bin:/bin");
  if (const char* asan = std::getenv("ASAN_OPTIONS")) env_strings.push_back(std::string("ASAN_OPTIONS=") + asan);
  if (const char* ubsan = std::getenv("UBSAN_OPTIONS")) env_strings.push_back(std::string("UBSAN_OPTIONS=") + ubsan);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string binary = LOYALTY_BINARY;
  argv.push_back(binary.data());
  std::vector<std::string> args_copy = args;
  for (auto& a : args_copy) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = open(output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    if (stdin_fd >= 0) dup2(stdin_fd, STDIN_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TempPath(const char* stem) {
  char path[] = "/tmp/loyalty-test-XXXXXX";
  const int fd = mkstemp(path);
  if (fd >= 0) close(fd);
  return std::string(path) + "-" + stem;
}

int WaitExit(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

CommandResult RunLoyalty(const Environment& env, const std::vector<std::string>& args,
                         const std::string& stdin_text) {
  const std::string out_path = TempPath("cmd.log");
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = Spawn(env, args, out_path, pipe_fds[0]);
  close(pipe_fds[0]);
  if (!stdin_text.empty()) {
    [[maybe_unused]] auto n = write(pipe_fds[1], stdin_text.data(), stdin_text.size());
  }
  close(pipe_fds[1]);
  CommandResult result;
  result.exit_code = WaitExit(pid);
  result.output = ReadFile(out_path);
  unlink(out_path.c_str());
  return result;
}

ServerProcess::ServerProcess(Environment env) {
  port_ = FreePort();
  env["LOYALTY_HTTP_PORT"] = std::to_string(port_);
  env.emplace("LOYALTY_HTTP_ADDR", "127.0.0.1");
  log_path_ = TempPath("serve.log");
  pid_ = Spawn(env, {"serve"}, log_path_, -1);
  const HttpClient client(port_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (client.Request("GET", "/healthz", "", {}, 500).status == 200) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("loyalty serve exited at start:\n" + Log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("loyalty serve did not answer /healthz within 20 s:\n" + Log());
}

ServerProcess::~ServerProcess() {
  Stop();
  unlink(log_path_.c_str());
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

int ServerProcess::Stop() {
  if (pid_ < 0) return 0;
  kill(pid_, SIGTERM);
  const int code = WaitExit(pid_);
  pid_ = -1;
  return code;
}

void CreateStandardStaff(const Environment& env) {
  struct Account {
    const char* username;
    const char* role;
    const char* store;
  };
  for (const Account& a : {Account{"admin", "admin", nullptr}, Account{"marketer", "marketer", nullptr},
                           Account{"manager1", "store_manager", "S1"},
                           Account{"manager2", "store_manager", "S2"},
                           Account{"cashier1", "cashier", "S1"},
                           Account{"auditor", "auditor", nullptr}}) {
    std::vector<std::string> args = {"admin", "create-staff", "--username", a.username, "--role",
                                     a.role};
    if (a.store) {
      args.push_back("--store");
      args.push_back(a.store);
    }
    const CommandResult r = RunLoyalty(env, args, std::string(kTestPassword) + "\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
}

}  // namespace loyalty::testing
