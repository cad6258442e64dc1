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
#include "http/transport.h"
#include "registry/docker_config.h"
#include "registry/reference.h"
#include "registry/registry_client.h"
#include "replication/copy_engine.h"
#include "swr/client.h"
#include "swr/hosts.h"

namespace swrctl {

const char* const kCopyValueOptions[] = {"src-creds", "dest-creds", "src-creds-file", "dest-creds-file", "parallel",
                                         "chunk-size", "deadline", "min-rate", nullptr};
const char* const kCopyFlags[] = {"src-plain-http", "dest-plain-http", "src-insecure", "dest-insecure", "src-swr",
                                  "dest-swr", "quiet", "no-create-org", "verify", "allow-insecure-redirect", nullptr};

namespace {

// user:password for `host` from the docker config (auths), if any.
// user:password for `host` from the docker config (auths), if any.
std::optional<swr::registry::Credentials> DockerConfigFor(const std::string& host) {
  std::string dir = Env("DOCKER_CONFIG");
  if (dir.empty()) {
    std::string home = Env("HOME");
    if (home.empty()) return std::nullopt;
    dir = home + "/.docker";
  }
  std::string text;
  if (!ReadFile(dir + "/config.json", &text)) return std::nullopt;
  return swr::registry::DockerConfigCredentials(text, host);
}

struct Side {
  swr::registry::ImageReference ref;
  bool swr = false;
  std::unique_ptr<swr::Client> swr_client;  // SWR: also for organizations
  std::shared_ptr<swr::registry::RegistryClient> registry;
};

// Builds one end of the copy; returns an error message (a usage error) or "".
std::string MakeSide(const swrctl::Args& args, const std::string& prefix, const std::string& text, Side* side,
                     const std::string& ca_pem, std::chrono::seconds timeout, const CredentialInput& creds,
                     const swr::LogSink& sink, swr::LogLevel level) {
  const std::string which = prefix == "src" ? "source" : "destination";
  auto ref = swr::registry::ParseImageReference(text);
  if (!ref.ok()) return ref.status().message();
  side->ref = *ref;
  bool plain = args.Has(prefix + "-plain-http");
  bool insecure = args.Has(prefix + "-insecure") || args.Has("insecure");
  std::string url = (plain ? "http://" : "https://") + side->ref.registry;
  side->swr = args.Has(prefix + "-swr") || swr::IsSwrRegistryHost(side->ref.registry);
  if (side->swr) {
    if (creds.access_key.empty() || creds.secret_key.empty() || creds.project.empty()) {
      return "the " + which + " is SWR: set OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME (or --access-key, "
             "--secret-key-file and --project-name)";
    }
    swr::ClientConfig cfg;
    cfg.registry_url = url;
    cfg.access_id = creds.project + "@" + creds.access_key;
    cfg.access_secret = creds.secret_key;
    cfg.project_id = creds.project_id;
    cfg.management_url = args.Get("management-url");
    cfg.insecure = insecure;
    cfg.allow_plain_http = plain;
    cfg.ca_pem = ca_pem;
    cfg.timeout = timeout;
    cfg.log_sink = sink;
    cfg.log_level = level;
    cfg.redactor = SharedRunRedactor();
    auto client = swr::Client::Create(cfg);
    if (!client.ok()) return client.status().message();
    side->swr_client = std::move(client).value();
    side->registry = side->swr_client->registry_client();
    return "";
  }
  swr::RegistryConfig rc;
  rc.url = url;
  rc.insecure = insecure;
  rc.allow_plain_http = plain;
  rc.allow_insecure_redirects = args.Has("allow-insecure-redirect");
  rc.ca_pem = ca_pem;
  rc.timeout = timeout;
  rc.log_sink = sink;
  rc.log_level = level;
  rc.redactor = SharedRunRedactor();
  std::string user_pass;
  if (args.Has(prefix + "-creds") && args.Has(prefix + "-creds-file")) {
    return "give --" + prefix + "-creds or --" + prefix + "-creds-file, not both";
  }
  if (args.Has(prefix + "-creds-file")) {
    if (!ReadSecret(args.Get(prefix + "-creds-file"), &user_pass)) {
      return "cannot read USER:PASSWORD from --" + prefix + "-creds-file '" + args.Get(prefix + "-creds-file") + "'";
    }
  } else if (args.Has(prefix + "-creds")) {
    user_pass = args.Get(prefix + "-creds");
    Warn("--" + prefix + "-creds on the command line is visible to other users of this machine; prefer --" + prefix +
         "-creds-file");
  }
  if (!user_pass.empty()) {
    size_t colon = user_pass.find(':');
    if (colon == std::string::npos || colon == 0) return "--" + prefix + "-creds must be USER:PASSWORD";
    rc.credentials = {user_pass.substr(0, colon), user_pass.substr(colon + 1)};
  } else if (auto dc = DockerConfigFor(side->ref.registry)) {
    rc.credentials = *dc;
  }
  RunRedactor().AddSecret(rc.credentials.password);
  auto client = swr::MakeRegistryClient(rc);
  if (!client.ok()) return client.status().message();
  side->registry = std::move(client).value();
  return "";
}

// The library's TLS hint speaks of "a CA bundle" and "insecure"; name the
// flags of the side that failed (both when the message does not say).
swr::Status TlsHintWithFlags(const swr::Status& s, const std::string& src_host, const std::string& dst_host) {
  std::string msg = s.message();
  size_t at = msg.find(swr::http::kTlsHint);
  if (at == std::string::npos) return s;
  bool src = msg.find(src_host) != std::string::npos, dst = msg.find(dst_host) != std::string::npos;
  std::string side = src == dst ? "src|dest" : src ? "src" : "dest";
  std::string flag = side == "src|dest" ? "--src-insecure or --dest-insecure" : "--" + side + "-insecure";
  std::string plain = side == "src|dest" ? "--src-plain-http or --dest-plain-http" : "--" + side + "-plain-http";
  msg.replace(at, std::string(swr::http::kTlsHint).size(),
              " (TLS: trust the registry's CA with --ca-file FILE, skip verification with " + flag +
                  ", or, for a registry that speaks plain http, use " + plain + ")");
  swr::Status out(s.code(), msg);
  out.WithHttpStatus(s.http_status()).WithSwrCode(s.swr_code()).WithRequestId(s.request_id());
  return out;
}

}  // namespace

int CmdCopy(const Args& args) {
  const auto& pos = args.positional();
  if (pos.size() != 3) return Usage("copy needs SOURCE and DEST, e.g. swrctl copy localhost:5000/app:1 swr.eu-de.otc.t-systems.com/org/app:1");
  std::string ca_pem;
  if (args.Has("ca-file") && !ReadFile(args.Get("ca-file"), &ca_pem)) {
    return Usage("cannot read --ca-file '" + args.Get("ca-file") + "'");
  }
  long long parallel = 4;
  if (args.Has("parallel") && !ParseNumber(args.Get("parallel"), 1, 64, &parallel)) {
    return Usage("--parallel must be a number from 1 to 64");
  }
  long long chunk = 0;
  if (args.Has("chunk-size") && !ParseNumber(args.Get("chunk-size"), 65536, 1LL << 40, &chunk)) {
    return Usage("--chunk-size must be a number of bytes, at least 65536");
  }
  long long timeout_s = 60;
  if (args.Has("timeout") && !ParseNumber(args.Get("timeout"), 1, 86400, &timeout_s)) {
    return Usage("--timeout must be a number of seconds from 1 to 86400");
  }
  std::chrono::seconds timeout(timeout_s);
  long long min_rate = 64 << 10;
  if (args.Has("min-rate") && !ParseNumber(args.Get("min-rate"), 0, 1LL << 40, &min_rate)) {
    return Usage("--min-rate must be a number of bytes per second (0: only a stall fails)");
  }
  std::optional<std::chrono::steady_clock::time_point> deadline;
  long long deadline_s = 0;
  if (args.Has("deadline")) {
    if (!ParseNumber(args.Get("deadline"), 1, 30LL * 86400, &deadline_s)) {
      return Usage("--deadline must be a number of seconds from 1 to 2592000 (30 days)");
    }
    deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deadline_s);
  }
  const bool quiet = args.Has("quiet");
  const bool verbose = args.Has("verbose");
  const bool tty = isatty(STDERR_FILENO) && !quiet;
  CredentialInput creds;
  if (std::string e = ReadCredentials(args, &creds); !e.empty()) return Usage(e);
  swr::LogSink sink = [](swr::LogLevel, const std::string& line) { std::cerr << "swrctl: " << line << "\n"; };
  swr::LogLevel level = verbose ? swr::LogLevel::kDebug : swr::LogLevel::kWarn;

  Side src, dst;
  if (std::string e = MakeSide(args, "src", pos[1], &src, ca_pem, timeout, creds, sink, level); !e.empty()) {
    return Usage(e);
  }
  if (std::string e = MakeSide(args, "dest", pos[2], &dst, ca_pem, timeout, creds, sink, level); !e.empty()) {
    return Usage(e);
  }
  if (!dst.ref.digest.empty()) return Usage("the destination must be a tag, not a digest");

  auto fail = [&](const swr::Status& s) {
    if (tty) std::cerr << "\n";
    return Fail("copy failed: " + s.ToString());
  };

  const std::string org = dst.ref.repository.substr(0, dst.ref.repository.find('/'));
  swr::replication::CopyOptions opts;
  // The organization is created once the source's manifest has been read:
  // a copy that cannot start leaves nothing behind.
  if (dst.swr && dst.swr_client && !args.Has("no-create-org")) {
    opts.before_destination = [&] { return dst.swr_client->management().EnsureOrganization(org); };
  }
  opts.parallel_blobs = static_cast<int>(parallel);
  opts.chunk_size = chunk;
  opts.verify_downloads = args.Has("verify");
  opts.deadline = deadline;
  opts.min_bytes_per_second = min_rate;
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
  if (!result.ok()) {
    swr::Status s = result.status();
    // SWR refuses tokens for an organization that does not exist: say so
    // rather than "authentication failed".
    if (dst.swr && dst.swr_client && args.Has("no-create-org") &&
        (s.code() == swr::Code::kUnauthenticated || s.code() == swr::Code::kPermissionDenied ||
         s.code() == swr::Code::kNotFound)) {
      auto o = dst.swr_client->management().GetOrganization(org);
      if (!o.ok() && o.status().code() == swr::Code::kNotFound) {
        if (tty) std::cerr << "\n";
        return Fail("copy failed: the organization '" + org + "' does not exist in SWR; create it with 'swrctl org create " +
                    org + "', or copy without --no-create-org");
      }
    }
    return fail(TlsHintWithFlags(s, src.ref.registry, dst.ref.registry));
  }
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
