#include "support/emulator.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/json.h"

namespace swr::testing {
namespace {

std::string MakeTempDir() {
  char tmpl[] = "/tmp/swr-test-XXXXXX";
  const char* d = mkdtemp(tmpl);
  return d ? d : "";
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

}  // namespace

Emulator::Emulator(std::vector<std::string> extra_args) {
  dir_ = MakeTempDir();
  if (dir_.empty()) return;
  std::string addr_file = dir_ + "/addr";
  std::vector<std::string> argv = {SWR_EMULATOR_BIN, "-listen", "127.0.0.1:0", "-addr-file", addr_file,
                                   "-ak", kTestAK, "-sk", kTestSK, "-project", kTestProject,
                                   "-project-id", kTestProjectId};
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
    std::string line;
    if (in && std::getline(in, line) && !line.empty()) {
      url_ = line;
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
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status;
    waitpid(pid_, &status, 0);
  }
  if (!dir_.empty()) {
    std::string cmd = "rm -rf '" + dir_ + "'";
    (void)std::system(cmd.c_str());
  }
}

http::Response Emulator::Control(const std::string& method, const std::string& path, const std::string& body) {
  http::TransportOptions opts;
  opts.insecure = true;
  auto transport = http::NewCppRestTransport(opts);
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
    std::vector<std::string> argv = argv_in, envv = env;
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

}  // namespace swr::testing
