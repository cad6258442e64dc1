// Starts the SWR emulator as a child process on 127.0.0.1 and stops it.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

#include "http/transport.h"

namespace swr::testing {

constexpr const char* kTestAK = "EMULATORAK0123456789";
constexpr const char* kTestSK = "emulatorSecretKey0123456789abcdefghijklm";
constexpr const char* kTestProject = "eu-de";
constexpr const char* kTestProjectId = "0123456789abcdef0123456789abcdef";

class Emulator {
 public:
  // extra_args go to the emulator's command line (e.g. "-tls-ca-out", path).
  explicit Emulator(std::vector<std::string> extra_args = {});
  ~Emulator();
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  bool ok() const { return !url_.empty(); }
  const std::string& url() const { return url_; }
  const std::string& dir() const { return dir_; }

  // Calls the unauthenticated control API (/_emulator/...).
  http::Response Control(const std::string& method, const std::string& path, const std::string& body = "");
  // Number of requests the emulator saw for "METHOD /path".
  int RequestCount(const std::string& method_and_path);

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string url_;
};

// Runs a command, capturing stdout and stderr separately; returns the exit code.
int RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::string* out,
               std::string* err);

}  // namespace swr::testing
