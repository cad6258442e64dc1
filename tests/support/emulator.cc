#include "support/emulator.h"

#include "http/connection.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "common/json.h"

namespace swr::testing {
namespace {

std::string MakeTempDir() {
  char tmpl[] = "/tmp/swr-test-XXXXXX";
  const char* d = mkdtemp(tmpl);
  return d ? d : "";
}

// The sanitizer settings of this process go to its children too, so a
// sanitized swrctl reports (and fails) under `make test-sanitize`.
std::vector<std::string> WithSanitizerEnv(std::vector<std::string> env) {
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"}) {
    if (const char* v = std::getenv(name)) env.push_back(std::string(name) + "=" + v);
  }
  return env;
}

std::vector<char*> CArgs(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

void StopAndClean(pid_t pid, const std::string& dir) {
  if (pid > 0) {
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
  }
  if (!dir.empty()) {
    std::string cmd = "rm -rf '" + dir + "'";
    (void)std::system(cmd.c_str());
  }
}

}  // namespace

RegistryProcess::RegistryProcess() {
  dir_ = MakeTempDir();
  if (dir_.empty()) return;
  // A port picked by the kernel; tried a few times in case another process takes it first.
  for (int tries = 0; tries < 5 && url_.empty(); ++tries) {
    int port = FreePort();
    if (port <= 0) continue;
    std::string config = dir_ + "/config.yml";
    std::ofstream(config) << "version: 0.1\n"
                             "log:\n  level: error\n  accesslog:\n    disabled: true\n"
                             "storage:\n  filesystem:\n    rootdirectory: "
                          << dir_
                          << "/data\n"
                             "  delete:\n    enabled: true\n"
                             "  maintenance:\n    uploadpurging:\n      enabled: false\n"
                             "http:\n  addr: 127.0.0.1:"
                          << port << "\n  secret: swr-adapter-tests\n";
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
      execlp("docker-registry", "docker-registry", "serve", config.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    http::ConnectionOptions opts;
    opts.timeout = std::chrono::seconds(2);
    auto transport = http::NewHttpTransport(opts, Logger());
    // Bounded wait for /v2/: 100 x 50 ms.
    for (int i = 0; i < 100; ++i) {
      http::Request req;
      req.url = url + "/v2/";
      auto resp = transport->Send(req);
      if (resp.ok() && resp->status == 200) {
        url_ = url;
        break;
      }
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (url_.empty() && pid_ > 0) {
      kill(pid_, SIGKILL);
      int status;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
}

RegistryProcess::~RegistryProcess() {
  StopAndClean(pid_, dir_);
}

int Imagegen(const std::vector<std::string>& args, std::string* out, std::string* err) {
  std::vector<std::string> argv = {IMAGEGEN_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string e;
  int rc = RunCommand(argv, {"PATH=/usr/bin:/bin"}, out, &e);
  if (err) *err = e;
  return rc;
}

std::vector<std::string> Emulator::WithBackend(const std::string& backend, std::vector<std::string> more) {
  std::vector<std::string> args = {"-registry-backend", backend};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

Emulator::Emulator(std::vector<std::string> extra_args) {
  dir_ = MakeTempDir();
  if (dir_.empty()) return;
  std::string addr_file = dir_ + "/addr";
  std::vector<std::string> argv = {SWR_EMULATOR_BIN, "-listen",  "127.0.0.1:0", "-api-listen", "127.0.0.1:0",
                                   "-addr-file",     addr_file,  "-ak",         kTestAK,       "-sk",
                                   kTestSK,          "-project", kTestProject,  "-project-id", kTestProjectId};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = fork();
  if (pid_ == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    auto args = CArgs(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  // Bounded wait for the address file: 200 x 50 ms.
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(addr_file);
    std::string line, api;
    if (in && std::getline(in, line) && std::getline(in, api) && !line.empty() && !api.empty()) {
      url_ = line;
      api_url_ = api;
      return;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Emulator::~Emulator() {
  StopAndClean(pid_, dir_);
}

http::Response Emulator::Control(const std::string& method, const std::string& path, const std::string& body) {
  http::ConnectionOptions opts;
  opts.insecure = true;
  auto transport = http::NewHttpTransport(opts, Logger());
  http::Request req;
  req.method = method;
  req.url = url_ + path;
  req.body = body;
  if (!body.empty()) req.SetHeader("Content-Type", "application/json");
  auto resp = transport->Send(req);
  return resp.ok() ? *resp : http::Response{};
}

int Emulator::RequestCount(const std::string& method_and_path) {
  auto resp = Control("GET", "/_emulator/requests");
  auto json = Json::Parse(resp.body);
  if (!json.ok()) return -1;
  return static_cast<int>(json->GetInt(method_and_path, 0));
}

std::map<std::string, int> Emulator::RequestLog() {
  std::map<std::string, int> out;
  auto resp = Control("GET", "/_emulator/requests");
  auto json = Json::Parse(resp.body);
  if (!json.ok()) {
    out["(the emulator's request log could not be read)"] = 1;
    return out;
  }
  for (const auto& k : json->Keys()) out[k] = static_cast<int>(json->GetInt(k, 0));
  return out;
}

int RunCommand(const std::vector<std::string>& argv_in, const std::vector<std::string>& env, std::string* out,
               std::string* err) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<std::string> argv = argv_in, envv = WithSanitizerEnv(env);
    auto a = CArgs(argv);
    auto e = CArgs(envv);
    execve(a[0], a.data(), e.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Read stderr on a thread so neither pipe can fill and block the child.
  std::string e_text;
  std::thread t([&] { e_text = ReadAll(err_pipe[0]); });
  std::string o_text = ReadAll(out_pipe[0]);
  t.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (out) *out = o_text;
  if (err) *err = e_text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

RunResult RunCommandBounded(const std::vector<std::string>& argv_in, const std::vector<std::string>& env,
                            std::chrono::milliseconds timeout) {
  RunResult r;
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return r;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    std::vector<std::string> argv = argv_in, envv = WithSanitizerEnv(env);
    auto a = CArgs(argv);
    auto e = CArgs(envv);
    execve(a[0], a.data(), e.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  std::string e_text;
  std::thread t([&] { e_text = ReadAll(err_pipe[0]); });
  std::thread o([&] { r.out = ReadAll(out_pipe[0]); });
  int status = 0;
  rusage usage{};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // Bounded poll: every 10 ms until the child ends or the time is up.
  while (true) {
    pid_t w = wait4(pid, &status, WNOHANG, &usage);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      wait4(pid, &status, 0, &usage);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  t.join();
  o.join();
  close(out_pipe[0]);
  close(err_pipe[0]);
  r.err = e_text;
  r.max_rss_kib = usage.ru_maxrss;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  return r;
}

HostileRegistry::HostileRegistry(std::string user, std::string password, bool tls) {
  dir_ = MakeTempDir();
  if (dir_.empty()) return;
  std::string addr_file = dir_ + "/addr";
  std::vector<std::string> argv = {HOSTILE_BIN, "-user", user, "-password", password, "-addr-file", addr_file};
  if (tls) {
    argv.push_back("-tls-ca-out");
    argv.push_back(ca_file());
  }
  pid_ = fork();
  if (pid_ == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    auto args = CArgs(argv);
    execv(args[0], args.data());
    _exit(127);
  }
  // Bounded wait for the address file: 200 x 50 ms.
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(addr_file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto j = Json::Parse(text); in && j.ok()) {
      main_ = j->GetString("main");
      foreign_ = j->GetString("foreign");
      return;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

HostileRegistry::~HostileRegistry() {
  StopAndClean(pid_, dir_);
}

std::string HostileRegistry::host() const {
  return main_.substr(main_.find("://") + 3);
}

static http::Response ControlCall(const std::string& base, const std::string& method, const std::string& path) {
  http::ConnectionOptions opts;
  opts.insecure = true;
  auto transport = http::NewHttpTransport(opts, Logger());
  http::Request req;
  req.method = method;
  req.url = base + path;
  req.max_response_bytes = 64 << 20;
  auto resp = transport->Send(req);
  return resp.ok() ? *resp : http::Response{};
}

void HostileRegistry::SetCase(const std::string& name) {
  ControlCall(main_, "POST", "/_hostile/case?name=" + name);
}

std::vector<HostileRegistry::Request> HostileRegistry::Requests() {
  std::vector<Request> out;
  auto j = Json::Parse(ControlCall(main_, "GET", "/_hostile/log").body);
  if (!j.ok()) return out;
  auto list = j->Find("requests");
  if (!list || !list->IsArray()) return out;
  for (size_t i = 0; i < list->Size(); ++i) {
    Json e = list->At(i);
    Request r{e.GetString("origin"), e.GetString("method"), e.GetString("url"), {}};
    if (auto h = e.Find("headers"); h && h->IsObject()) {
      for (const auto& k : h->Keys()) {
        for (const auto& v : h->GetStrings(k)) r.headers.emplace_back(k, v);
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string HostileRegistry::Token() {
  auto j = Json::Parse(ControlCall(main_, "GET", "/_hostile/log").body);
  return j.ok() ? j->GetString("token") : "";
}

}  // namespace swr::testing
