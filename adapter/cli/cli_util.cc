#include "cli_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/credentials.h"

namespace swrctl {

std::shared_ptr<swr::Redactor> SharedRunRedactor() {
  static auto* redactor = new std::shared_ptr<swr::Redactor>(std::make_shared<swr::Redactor>());
  return *redactor;
}

swr::Redactor& RunRedactor() {
  return *SharedRunRedactor();
}

int Usage(const std::string& why) {
  std::cerr << "swrctl: " << RunRedactor().RedactLine(why) << "\n\nRun 'swrctl --help' for usage.\n";
  return kExitUsage;
}

int Fail(const std::string& message) {
  std::cerr << "swrctl: " << RunRedactor().RedactLine(message) << "\n";
  return kExitFailed;
}

int FailOrUsage(const swr::Status& s) {
  if (s.code() == swr::Code::kInvalidArgument && s.http_status() == 0) return Usage(s.message());
  std::string hint;
  switch (s.reason()) {
    case swr::Reason::kTls:
      hint = " (TLS: trust the registry's CA with --ca-file FILE, or skip verification with --insecure)";
      break;
    case swr::Reason::kDns:
      hint = " (the host name does not resolve: check --registry and --management-url)";
      break;
    case swr::Reason::kAuth:
      hint =
          " (check OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME, or --secret-kind; do not retry in a loop: "
          "SWR blocks a user's logins for 30 minutes after repeated failures)";
      break;
    default:
      break;
  }
  return Fail(s.ToString() + hint);
}

void Warn(const std::string& message) {
  std::cerr << "swrctl: warning: " << RunRedactor().RedactLine(message) << "\n";
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  // At most the limit and a byte: an endless file is refused, not read whole.
  out->assign(kMaxInputFileBytes + 1, '\0');
  in.read(out->data(), static_cast<std::streamsize>(out->size()));
  out->resize(static_cast<size_t>(in.gcount()));
  return out->size() <= kMaxInputFileBytes;
}

namespace {

swr::Status WriteAll(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return swr::Status(swr::Code::kUnknown, "cannot write '" + path + "': " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return swr::OkStatus();
}

}  // namespace

swr::Status WriteFileSafely(const std::string& path, const std::string& text) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return swr::Status(swr::Code::kUnknown, "cannot open '" + path + "': " + std::strerror(errno));
    swr::Status s = WriteAll(fd, text, path);
    if (::close(fd) != 0 && s.ok())
      s = swr::Status(swr::Code::kUnknown, "cannot write '" + path + "': " + std::strerror(errno));
    return s;
  }
  std::string tmp = path + ".swrctl-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    return swr::Status(swr::Code::kUnknown, "cannot create a file beside '" + path + "': " + std::strerror(errno));
  ::fchmod(fd, 0644);
  swr::Status s = WriteAll(fd, text, path);
  if (s.ok() && ::fsync(fd) != 0)
    s = swr::Status(swr::Code::kUnknown, "cannot write '" + path + "': " + std::strerror(errno));
  if (::close(fd) != 0 && s.ok())
    s = swr::Status(swr::Code::kUnknown, "cannot write '" + path + "': " + std::strerror(errno));
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = swr::Status(swr::Code::kUnknown, "cannot replace '" + path + "': " + std::strerror(errno));
  }
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

bool ReadSecret(const std::string& path, std::string* out) {
  std::string text;
  if (path == "-") {
    if (!std::getline(std::cin, text)) return false;
  } else {
    if (!ReadFile(path, &text)) return false;
    text = text.substr(0, text.find('\n'));
  }
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.pop_back();
  *out = text;
  return !text.empty();
}

bool ParseNumber(const std::string& text, long long min, long long max, long long* out) {
  if (text.empty() || text.size() > 18) return false;
  long long n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  if (n < min || n > max) return false;
  *out = n;
  return true;
}

std::string ReadCredentials(const Args& args, CredentialInput* c) {
  c->access_key = args.Get("access-key", Env("OS_ACCESS_KEY"));
  c->secret_key = Env("OS_SECRET_KEY");
  c->project = args.Get("project-name", Env("OS_PROJECT_NAME"));
  c->project_id = args.Get("project-id", Env("OS_PROJECT_ID"));
  if (args.Has("secret-key-file") && args.Has("secret-key")) return "give --secret-key-file or --secret-key, not both";
  if (args.Has("secret-key-file")) {
    if (!ReadSecret(args.Get("secret-key-file"), &c->secret_key)) {
      return "cannot read a secret key from --secret-key-file '" + args.Get("secret-key-file") + "'";
    }
  } else if (args.Has("secret-key")) {
    c->secret_key = args.Get("secret-key");
    Warn(
        "--secret-key on the command line is visible to other users of this machine; "
        "prefer OS_SECRET_KEY or --secret-key-file");
  }
  RunRedactor().AddSecret(c->secret_key);
  if (!c->access_key.empty() && !c->secret_key.empty()) {
    RunRedactor().AddSecret(swr::LoginKey(c->access_key, c->secret_key));
  }
  return "";
}

std::string HumanBytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} {}", b, units[u]) : fmt::format("{:.1f} {}", b, units[u]);
}

std::string PlanLine(const swr::replication::PlanCounts& n) {
  return fmt::format("{} blobs to copy ({}), {} to mount ({}), {} already there ({})", n.copy,
                     HumanBytes(static_cast<double>(n.copy_bytes)), n.mount,
                     HumanBytes(static_cast<double>(n.mount_bytes)), n.existing,
                     HumanBytes(static_cast<double>(n.existing_bytes)));
}

}  // namespace swrctl
