#include "copy_command.h"

#include "cli_util.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "auth/credentials.h"
#include "common/base64.h"
#include "common/json.h"
#include "common/url.h"
#include "registry/reference.h"
#include "registry/registry_client.h"
#include "replication/copy_engine.h"
#include "swr/client.h"
#include "swr/hosts.h"

namespace swrctl {

const char* const kCopyValueOptions[] = {"src-creds", "dest-creds", "parallel", "chunk-size", nullptr};
const char* const kCopyFlags[] = {"src-plain-http", "dest-plain-http", "src-insecure", "dest-insecure",
                                  "src-swr",        "dest-swr",        "quiet",        "no-create-org", "verify", nullptr};

namespace {

std::string HumanBytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{:.0f} {}", b, units[u]) : fmt::format("{:.1f} {}", b, units[u]);
}

// user:password for `host` from the docker config (auths), if any.
std::optional<swr::registry::Credentials> DockerConfigCredentials(const std::string& host) {
  std::string dir = Env("DOCKER_CONFIG");
  if (dir.empty()) {
    std::string home = Env("HOME");
    if (home.empty()) return std::nullopt;
    dir = home + "/.docker";
  }
  std::string text;
  if (!ReadFile(dir + "/config.json", &text)) return std::nullopt;
  auto json = swr::Json::Parse(text);
  if (!json.ok()) return std::nullopt;
  auto auths = json->Find("auths");
  if (!auths || !auths->IsObject()) return std::nullopt;
  for (const auto& key : auths->Keys()) {
    std::string k = key;
    for (const char* prefix : {"https://", "http://"}) {
      if (k.rfind(prefix, 0) == 0) k = k.substr(std::string(prefix).size());
    }
    k = k.substr(0, k.find('/'));
    if (k != host) continue;
    auto entry = auths->Find(key);
    std::string user = entry->GetString("username"), pass = entry->GetString("password");
    std::string decoded;
    if (user.empty() && swr::Base64Decode(entry->GetString("auth"), &decoded)) {
      size_t colon = decoded.find(':');
      if (colon == std::string::npos) continue;
      user = decoded.substr(0, colon);
      pass = decoded.substr(colon + 1);
    }
    if (!user.empty()) return swr::registry::Credentials{user, pass};
  }
  return std::nullopt;
}

struct Side {
  swr::registry::ImageReference ref;
  bool swr = false;
  std::unique_ptr<swr::Client> swr_client;  // SWR: also for organizations
  std::shared_ptr<swr::registry::RegistryClient> registry;
};

// Builds one end of the copy; returns an error message or "".
std::string MakeSide(const swrctl::Args& args, const std::string& prefix, const std::string& text, Side* side,
                     const std::string& ca_pem, std::chrono::seconds timeout, const swr::Logger& logger) {
  auto ref = swr::registry::ParseImageReference(text);
  if (!ref.ok()) return ref.status().message();
  side->ref = *ref;
  bool plain = args.Has(prefix + "-plain-http");
  bool insecure = args.Has(prefix + "-insecure");
  std::string url = (plain ? "http://" : "https://") + side->ref.registry;
  side->swr = args.Has(prefix + "-swr") || swr::IsSwrRegistryHost(side->ref.registry);
  if (side->swr) {
    std::string ak = Env("OS_ACCESS_KEY"), sk = Env("OS_SECRET_KEY"), project = Env("OS_PROJECT_NAME");
    if (ak.empty() || sk.empty() || project.empty()) {
      return "the " + std::string(prefix == "src" ? "source" : "destination") +
             " is SWR: set OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME";
    }
    swr::ClientConfig cfg;
    cfg.registry_url = url;
    cfg.access_id = project + "@" + ak;
    cfg.access_secret = sk;
    cfg.project_id = Env("OS_PROJECT_ID");
    cfg.insecure = insecure;
    cfg.ca_pem = ca_pem;
    cfg.timeout = timeout;
    cfg.log_sink = [logger](swr::LogLevel l, const std::string& m) { logger.Log(l, m); };
    cfg.log_level = swr::LogLevel::kDebug;
    auto client = swr::Client::Create(cfg);
    if (!client.ok()) return client.status().message();
    side->swr_client = std::move(client).value();
    side->registry = side->swr_client->registry_client();
    return "";
  }
  swr::registry::RegistryOptions ro;
  ro.base = *swr::ParseUrl(url);
  ro.logger = logger;
  std::string creds = args.Get(prefix + "-creds");
  if (!creds.empty()) {
    size_t colon = creds.find(':');
    if (colon == std::string::npos || colon == 0) return "--" + prefix + "-creds must be USER:PASSWORD";
    ro.credentials = {creds.substr(0, colon), creds.substr(colon + 1)};
  } else if (auto dc = DockerConfigCredentials(side->ref.registry)) {
    ro.credentials = *dc;
  }
  if (!ro.credentials.password.empty()) logger.redactor().AddSecret(ro.credentials.password);
  swr::http::RetryPolicy retry;
  auto transport = swr::MakeTransport(insecure, ca_pem, timeout, retry, "", logger, swr::DefaultClock());
  side->registry = std::make_shared<swr::registry::RegistryClient>(transport, ro);
  return "";
}

}  // namespace

int CmdCopy(const Args& args) {
  const auto& pos = args.positional();
  if (pos.size() != 3) return Usage("copy needs SOURCE and DEST, e.g. swrctl copy localhost:5000/app:1 swr.eu-de.otc.t-systems.com/org/app:1");
  std::string ca_pem;
  if (args.Has("ca-file") && !ReadFile(args.Get("ca-file"), &ca_pem)) {
    return Usage("cannot read --ca-file '" + args.Get("ca-file") + "'");
  }
  int parallel = 4;
  if (args.Has("parallel")) {
    parallel = std::atoi(args.Get("parallel").c_str());
    if (parallel < 1 || parallel > 64) return Usage("--parallel must be between 1 and 64");
  }
  long long chunk = 0;
  if (args.Has("chunk-size")) {
    chunk = std::atoll(args.Get("chunk-size").c_str());
    if (chunk < 65536) return Usage("--chunk-size must be at least 65536 bytes");
  }
  std::chrono::seconds timeout(60);
  if (args.Has("timeout")) {
    int t = std::atoi(args.Get("timeout").c_str());
    if (t <= 0) return Usage("--timeout must be a positive number of seconds");
    timeout = std::chrono::seconds(t);
  }
  const bool quiet = args.Has("quiet");
  const bool verbose = args.Has("verbose");
  const bool tty = isatty(STDERR_FILENO) && !quiet;
  auto redactor = std::make_shared<swr::Redactor>();
  redactor->AddSecret(Env("OS_SECRET_KEY"));
  if (!Env("OS_ACCESS_KEY").empty() && !Env("OS_SECRET_KEY").empty()) {
    redactor->AddSecret(swr::LoginKey(Env("OS_ACCESS_KEY"), Env("OS_SECRET_KEY")));
  }
  swr::Logger logger([](swr::LogLevel, const std::string& line) { std::cerr << "swrctl: " << line << "\n"; },
                     verbose ? swr::LogLevel::kDebug : swr::LogLevel::kWarn, redactor);

  Side src, dst;
  if (std::string e = MakeSide(args, "src", pos[1], &src, ca_pem, timeout, logger); !e.empty()) return Usage(e);
  if (std::string e = MakeSide(args, "dest", pos[2], &dst, ca_pem, timeout, logger); !e.empty()) return Usage(e);
  if (!dst.ref.digest.empty()) return Usage("the destination must be a tag, not a digest");

  auto fail = [&](const swr::Status& s) {
    if (tty) std::cerr << "\n";
    std::cerr << "swrctl: copy failed: " << redactor->Redact(s.ToString()) << "\n";
    return kExitFailed;
  };

  if (dst.swr && dst.swr_client && !args.Has("no-create-org")) {
    std::string org = dst.ref.repository.substr(0, dst.ref.repository.find('/'));
    swr::Status s = dst.swr_client->management().EnsureOrganization(org);
    if (!s.ok()) return fail(s);
  }

  swr::replication::CopyOptions opts;
  opts.parallel_blobs = parallel;
  opts.chunk_size = chunk;
  opts.verify_downloads = args.Has("verify");
  auto started = std::chrono::steady_clock::now();
  std::string label = src.ref.ToString() + " -> " + dst.ref.ToString();
  if (!quiet) std::cerr << "copying " << label << "\n";
  opts.on_progress = [&](const swr::replication::CopyProgress& p) {
    if (!tty) return true;
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    double rate = secs > 0 ? static_cast<double>(p.bytes_done) / secs : 0;
    std::cerr << fmt::format("\r  {} / {}  {}/{} blobs  {}/s        ", HumanBytes(static_cast<double>(p.bytes_done)),
                             HumanBytes(static_cast<double>(p.bytes_total)), p.blobs_done, p.blobs_total,
                             HumanBytes(rate))
              << std::flush;
    return true;
  };
  opts.on_blob = [&](const swr::replication::BlobEvent& e) {
    if (quiet) return;
    const char* what = e.outcome == swr::replication::BlobOutcome::kCopied    ? "copied"
                       : e.outcome == swr::replication::BlobOutcome::kMounted ? "mounted"
                                                                               : "exists";
    std::cerr << (tty ? "\r" : "") << fmt::format("  {}  {:>10}  {}", e.digest.substr(0, 19), HumanBytes(static_cast<double>(e.size)), what)
              << (tty ? "                    \n" : "\n");
  };
  swr::replication::CopyEngine engine;
  auto result = engine.Copy(*src.registry, src.ref.repository, src.ref.Reference(), *dst.registry,
                            dst.ref.repository, dst.ref.tag, opts);
  if (!result.ok()) return fail(result.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!quiet) {
    if (tty) std::cerr << "\n";
    if (result->already_present) {
      std::cerr << "already up to date: the destination has this digest\n";
    } else {
      std::cerr << fmt::format("done in {:.1f}s: {} blobs copied ({}), {} mounted, {} already there, {} manifests\n", secs,
                               result->blobs_copied, HumanBytes(static_cast<double>(result->bytes_copied)),
                               result->blobs_mounted, result->blobs_existing, result->manifests_pushed);
    }
  }
  std::cout << result->digest << "\n";
  return kExitOk;
}

}  // namespace swrctl
