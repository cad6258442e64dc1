#include "cli_util.h"
#include "commands.h"
#include "endpoint.h"

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
#include "http/connection.h"
#include "registry/reference.h"
#include "registry/registry_client.h"
#include "replication/copy_engine.h"
#include "swr/client.h"
#include "swr/hosts.h"

namespace swrctl {

namespace {

struct Side {
  swr::registry::ImageReference ref;
  bool swr = false;
  std::unique_ptr<swr::Client> swr_client;  // SWR: also for organizations
  std::shared_ptr<swr::registry::RegistryClient> registry;
};

// Builds one end of the copy; returns an error message (a usage error) or "".
std::string MakeSide(const Args& args, const std::string& prefix, const std::string& text, const EndpointFlags& flags,
                     Side* side) {
  const std::string which = prefix == "src" ? "source" : "destination";
  auto ref = swr::registry::ParseImageReference(text);
  if (!ref.ok()) return ref.status().message();
  side->ref = *ref;
  EndpointSpec spec;
  spec.plain_http = args.Has(prefix + "-plain-http");
  spec.insecure = args.Has(prefix + "-insecure") || args.Has("insecure");
  spec.url = (spec.plain_http ? "http://" : "https://") + side->ref.registry;
  side->swr = args.Has(prefix + "-swr") || swr::IsSwrRegistryHost(side->ref.registry);
  if (side->swr) {
    if (args.Has(prefix + "-creds") || args.Has(prefix + "-creds-file")) {
      return "the " + which + " is SWR: it uses the OS_* credentials, not --" + prefix + "-creds(-file)";
    }
    const CredentialInput& c = flags.creds;
    if (c.access_key.empty() || c.secret_key.empty() || c.project.empty()) {
      return "the " + which +
             " is SWR: set OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME (or --access-key, "
             "--secret-key-file and --project-name)";
    }
    auto client = MakeSwrEndpoint(flags, spec);
    if (!client.ok()) return client.status().message();
    side->swr_client = std::move(client).value();
    side->registry = side->swr_client->registry_client();
    return "";
  }
  spec.insecure_redirects = prefix == "src" && args.Has("allow-insecure-redirect");
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
    spec.basic = {user_pass.substr(0, colon), user_pass.substr(colon + 1)};
  } else if (auto dc = DockerConfigFor(side->ref.registry)) {
    spec.basic = *dc;
  }
  auto client = MakeRegistryEndpoint(flags, spec);
  if (!client.ok()) return client.status().message();
  side->registry = std::move(client).value();
  return "";
}

// What to do next, by the error's reason: a TLS failure names the flags of
// the side that failed (both when the error does not say which), an OCI
// index refused by SWR the option that converts it.
swr::Status WithHint(const swr::Status& s, const std::string& src_host, const std::string& dst_host) {
  std::string hint;
  if (s.reason() == swr::Reason::kTls) {
    const bool src = s.host() == src_host, dst = s.host() == dst_host;
    const std::string side = src == dst ? "src|dest" : src ? "src" : "dest";
    const std::string flag = side == "src|dest" ? "--src-insecure or --dest-insecure" : "--" + side + "-insecure";
    const std::string plain =
        side == "src|dest" ? "--src-plain-http or --dest-plain-http" : "--" + side + "-plain-http";
    hint = " (TLS: trust the registry's CA with --ca-file FILE, skip verification with " + flag +
           ", or, for a registry that speaks plain http, use " + plain + ")";
  } else if (s.reason() == swr::Reason::kOciIndexRefused) {
    hint = std::string("; ") + kSwrRefusesOciIndex;
  }
  if (hint.empty()) return s;
  swr::Status out(s.code(), s.message() + hint);
  out.WithDetailsOf(s);
  return out;
}

// --dry-run: the engine's plan (the source read, the destination asked with
// HEADs), what would move, and the organization that would be created.
int DryRun(const Side& src, const Side& dst, const swr::replication::CopyOptions& opts, bool create_org,
           const std::string& org) {
  swr::replication::CopyEngine engine;
  auto plan = engine.Plan(*src.registry, src.ref.repository, src.ref.Reference(), *dst.registry, dst.ref.repository,
                          dst.ref.tag, opts);
  if (!plan.ok()) return Fail("dry run: the copy would fail: " + plan.status().ToString());
  if (dst.swr && plan->media_type == swr::registry::kOciIndex) {
    return Fail(std::string("dry run: the copy would fail: an OCI image index: ") + kSwrRefusesOciIndex);
  }
  std::string label = src.ref.ToString() + " -> " + dst.ref.ToString();
  std::string changed = plan->rewritten ? fmt::format(" (rewritten: {})", plan->digest) : "";
  if (plan->already_present && !opts.force) {
    std::cout << "skip    " << label << ": up to date (" << plan->digest << ")\n";
    return kExitOk;
  }
  if (dst.swr && dst.swr_client) {
    auto o = dst.swr_client->management().GetOrganization(org);
    if (!o.ok() && o.status().code() == swr::Code::kNotFound) {
      if (!create_org) return Fail("dry run: the organization '" + org + "' does not exist in SWR (--no-create-org)");
      std::cout << "would create organization " << org << "\n";
    }
  }
  if (plan->already_present) changed += "; up to date, forced: its manifests are pushed again";
  auto n = swr::replication::ClassifyPlanBlobs(*plan, *dst.registry, dst.ref.repository, nullptr);
  std::cout << "copy    " << label << ": " << PlanLine(n) << ", " << plan->manifests << " manifests" << changed << "\n";
  return kExitOk;
}

}  // namespace

int CmdCopy(const Args& args) {
  const auto& pos = args.positional();
  if (pos.size() != 3)
    return Usage(
        "copy needs SOURCE and DEST, e.g. swrctl copy localhost:5000/app:1 swr.eu-de.otc.t-systems.com/org/app:1");
  long long parallel = 4;
  if (args.Has("parallel") && !ParseNumber(args.Get("parallel"), 1, 64, &parallel)) {
    return Usage("--parallel must be a number from 1 to 64");
  }
  long long chunk = 0;
  if (args.Has("chunk-size") && !ParseNumber(args.Get("chunk-size"), 65536, 1LL << 40, &chunk)) {
    return Usage("--chunk-size must be a number of bytes, at least 65536");
  }
  long long min_rate = swr::http::kDefaultMinBytesPerSecond;
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
  const bool tty = isatty(STDERR_FILENO) && !quiet;
  EndpointFlags flags;
  if (std::string e = ReadEndpointFlags(args, &flags); !e.empty()) return Usage(e);

  Side src, dst;
  if (std::string e = MakeSide(args, "src", pos[1], flags, &src); !e.empty()) return Usage(e);
  if (std::string e = MakeSide(args, "dest", pos[2], flags, &dst); !e.empty()) return Usage(e);
  if (!dst.ref.digest.empty()) return Usage("the destination must be a tag, not a digest");

  auto fail = [&](const swr::Status& s) {
    if (tty) std::cerr << "\n";
    return Fail("copy failed: " + s.ToString());
  };

  const std::string org = dst.ref.repository.substr(0, dst.ref.repository.find('/'));
  swr::replication::CopyOptions opts;
  // The organization is created once the source's manifest has been read:
  // a copy that cannot start leaves nothing behind.
  // Either way the account's permission is checked before any blob moves.
  if (dst.swr && dst.swr_client) {
    opts.before_destination = [&, create = !args.Has("no-create-org")] {
      auto& mgmt = dst.swr_client->management();
      if (create) return mgmt.EnsureOrganization(org);
      swr::Status s = mgmt.CheckPushable(org);
      if (s.code() != swr::Code::kNotFound) return s;
      return swr::Status(s.code(), s.message() + "; create it with 'swrctl org create " + org +
                                       "', or copy without --no-create-org")
          .WithDetailsOf(s);
    };
  }
  opts.parallel_blobs = static_cast<int>(parallel);
  opts.chunk_size = chunk;
  opts.verify_downloads = args.Has("verify");
  opts.deadline = deadline;
  opts.min_bytes_per_second = min_rate;
  opts.force = args.Has("force");
  opts.rewrite.os = args.GetAll("os");
  opts.rewrite.arch = args.GetAll("arch");
  opts.rewrite.oci_to_docker = args.Has("oci-index-to-docker-list");
  if (args.Has("dry-run")) return DryRun(src, dst, opts, !args.Has("no-create-org"), org);
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
    std::cerr << (tty ? "\r" : "")
              << fmt::format("  {}  {:>10}  {}", e.digest.substr(0, 19), HumanBytes(static_cast<double>(e.size)), what)
              << (tty ? "                    \n" : "\n");
  };
  swr::replication::CopyEngine engine;
  auto result = engine.Copy(*src.registry, src.ref.repository, src.ref.Reference(), *dst.registry, dst.ref.repository,
                            dst.ref.tag, opts);
  if (!result.ok()) {
    swr::Status s = result.status();
    return fail(WithHint(s, src.ref.registry, dst.ref.registry));
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!quiet) {
    if (tty) std::cerr << "\n";
    if (result->already_present) {
      std::cerr << "already up to date: the destination has this digest\n";
    } else {
      std::cerr << fmt::format("done in {:.1f}s: {} blobs copied ({}), {} mounted, {} already there, {} manifests\n",
                               secs, result->blobs_copied, HumanBytes(static_cast<double>(result->bytes_copied)),
                               result->blobs_mounted, result->blobs_existing, result->manifests_pushed);
    }
  }
  std::cout << result->digest << "\n";
  return kExitOk;
}

}  // namespace swrctl
