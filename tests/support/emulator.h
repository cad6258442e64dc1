// Starts the SWR emulator as a child process on 127.0.0.1 and stops it.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "http/transport.h"

namespace swr::testing {

constexpr const char* kTestAK = "EMULATORAK0123456789";
constexpr const char* kTestSK = "emulatorSecretKey0123456789abcdefghijklm";
constexpr const char* kTestProject = "eu-de";
constexpr const char* kTestProjectId = "0123456789abcdef0123456789abcdef";

// A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1
// with its own config and storage in a temporary folder.
class RegistryProcess {
 public:
  RegistryProcess();
  ~RegistryProcess();
  RegistryProcess(const RegistryProcess&) = delete;
  RegistryProcess& operator=(const RegistryProcess&) = delete;
  bool ok() const { return !url_.empty(); }
  const std::string& url() const { return url_; }      // http://127.0.0.1:PORT
  std::string host() const { return url_.substr(7); }  // 127.0.0.1:PORT

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string url_;
};

// Runs the fixture generator: "push" or "verify" with flags; returns the exit
// code and its output.
int Imagegen(const std::vector<std::string>& args, std::string* out, std::string* err = nullptr);

class Emulator {
 public:
  // extra_args go to the emulator's command line (e.g. "-tls-ca-out", path).
  explicit Emulator(std::vector<std::string> extra_args = {});
  ~Emulator();
  // An emulator whose registry API fronts `backend` (a RegistryProcess URL).
  static std::vector<std::string> WithBackend(const std::string& backend, std::vector<std::string> more = {});
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  bool ok() const { return !url_.empty() && !api_url_.empty(); }
  // The registry host (registry API, token endpoint, legacy dockyard paths)
  // and, like SWR's swr-api.<region>, the management API on its own origin:
  // a call sent to the wrong one fails.
  const std::string& url() const { return url_; }
  const std::string& api_url() const { return api_url_; }
  const std::string& dir() const { return dir_; }

  // Calls the unauthenticated control API (/_emulator/...).
  http::Response Control(const std::string& method, const std::string& path, const std::string& body = "");
  // Number of requests the emulator saw for "METHOD /path".
  int RequestCount(const std::string& method_and_path);
  // Every "METHOD /path" the emulator saw (both hosts), with its count.
  std::map<std::string, int> RequestLog();

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string url_;
  std::string api_url_;
};

// Runs a command, capturing stdout and stderr separately; returns the exit code.
int RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& env, std::string* out,
               std::string* err);

// How a child process ended.
struct RunResult {
  int exit_code = -1;      // -1 when it did not exit normally
  int signal = 0;          // the signal that ended it, 0 if none
  bool timed_out = false;  // killed by RunCommandBounded after `timeout`
  long max_rss_kib = 0;    // peak resident memory
  std::string out, err;
};
// Like RunCommand, but the child is killed (SIGKILL) after `timeout`; also
// reports the signal and the peak RSS (wait4).
RunResult RunCommandBounded(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                            std::chrono::milliseconds timeout);

// The hostile test registry (tests/hostile): a "main" origin that plays a
// registry with token auth, and a "foreign" origin, both on 127.0.0.1; one
// scripted misbehaviour at a time.
class HostileRegistry {
 public:
  // `tls`: the main origin speaks HTTPS (its CA is in ca_file()).
  HostileRegistry(std::string user, std::string password, bool tls = false);
  ~HostileRegistry();
  HostileRegistry(const HostileRegistry&) = delete;
  HostileRegistry& operator=(const HostileRegistry&) = delete;

  bool ok() const { return !main_.empty(); }
  const std::string& main_url() const { return main_; }
  const std::string& foreign_url() const { return foreign_; }
  std::string host() const;  // host:port of main
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  // Switches the misbehaviour and clears the request log.
  void SetCase(const std::string& name);
  // Every request either origin received: origin, method, url, headers.
  struct Request {
    std::string origin, method, url;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  std::vector<Request> Requests();
  // The bearer token it hands out.
  std::string Token();

 private:
  pid_t pid_ = -1;
  std::string dir_;
  std::string main_, foreign_;
};

}  // namespace swr::testing
