#include "commands.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli_util.h"
#include "common/json.h"
#include "common/url.h"
#include "endpoint.h"
#include "http/connection.h"
#include "registry/factory.h"
#include "registry/reference.h"
#include "replication/copy_engine.h"
#include "swr/client.h"
#include "swr/hosts.h"
#include "sync_config.h"
#include "sync_model.h"
#include "sync_report.h"
#include "sync_view.h"

namespace swrctl {

namespace {

using swr::Code;
using swr::Status;
using Clock = std::chrono::steady_clock;

// ---- SIGINT: the first stops the run cleanly, the second exits at once ----

std::atomic<int> g_interrupts{0};

void OnInterrupt(int) {
  if (g_interrupts.fetch_add(1) >= 1) _exit(130);
}

// ---- registries ----

class SyncRun {
 public:
  explicit SyncRun(const Args& args) : args_(args) {}
  int Main();

 private:
  // Set-up.
  std::string LoadConfig();
  std::string ParseFlags();
  swr::StatusOr<Endpoint*> EndpointFor(const std::string& host, const std::string& repo);
  Status Plan();
  Status PlanFromReport(const std::string& path);
  void AddImage(const std::string& source, const std::string& destination, const std::string& where);

  // The run.
  void RunPass(const std::vector<Image*>& images);
  void SyncImage(Image& img);
  Status EnsureOrganization(Endpoint& ep, const std::string& repo);
  // The live view on a terminal, drawn again (takes mu_).
  void Progress();
  void Log(const std::string& line);

  // Output.
  int Finish();
  // The plan; returns how many images could not be planned (or would fail).
  int DryRun();

  const Args& args_;
  SyncConfig config_;
  int proc_ = 5;
  int retries_ = 2;
  double swr_rate_ = 20;
  bool force_ = false, quiet_ = false, tty_ = false;
  EndpointFlags flags_;                                 // credentials, CA, timeout, logging
  std::optional<std::chrono::seconds> image_deadline_;  // --deadline: per image
  swr::replication::RewritePolicy rewrite_;
  std::set<std::string> swr_hosts_;
  std::map<std::string, std::unique_ptr<Endpoint>> endpoints_;
  std::deque<Image> images_;
  std::vector<std::string> plan_errors_;  // rules that could not be expanded
  std::shared_ptr<swr::CancelToken> cancel_ = std::make_shared<swr::CancelToken>();
  Clock::time_point started_ = Clock::now();

  std::mutex mu_;  // images' results, counters, output
  std::atomic<int64_t> bytes_moved_{0};
  int done_ = 0, failed_ = 0, skipped_ = 0;
  int images_in_flight_ = 0;
  SyncView view_;  // mu_
};

std::string SyncRun::LoadConfig() {
  bool legacy = args_.Has("config");
  if (legacy && (args_.Has("auth") || args_.Has("images"))) return "give --config, or --auth and --images, not both";
  if (legacy) {
    Status s = LoadLegacyConfig(args_.Get("config"), &config_);
    return s.ok() ? "" : s.message();
  }
  if (args_.Has("auth")) {
    Status s = LoadAuthFile(args_.Get("auth"), &config_);
    if (!s.ok()) return s.message();
    for (const auto& w : config_.warnings) Warn(w);
  }
  if (args_.Has("retry-failed")) return "";
  if (!args_.Has("images")) return "sync needs --images FILE (and usually --auth FILE), or --config FILE";
  Status s = LoadImagesFile(args_.Get("images"), &config_);
  return s.ok() ? "" : s.message();
}

std::string SyncRun::ParseFlags() {
  long long n = 0;
  if (args_.Has("proc")) {
    if (!ParseNumber(args_.Get("proc"), 1, 64, &n)) return "--proc must be a number from 1 to 64";
    proc_ = static_cast<int>(n);
  }
  if (args_.Has("retries")) {
    if (!ParseNumber(args_.Get("retries"), 0, 20, &n)) return "--retries must be a number from 0 to 20";
    retries_ = static_cast<int>(n);
  }
  if (args_.Has("deadline")) {
    if (!ParseNumber(args_.Get("deadline"), 1, 30LL * 86400, &n)) {
      return "--deadline must be a number of seconds from 1 to 2592000 (30 days)";
    }
    image_deadline_ = std::chrono::seconds(n);
  }
  if (args_.Has("swr-rate")) {
    if (!ParseNumber(args_.Get("swr-rate"), 1, 1000, &n)) return "--swr-rate must be requests per second, 1 to 1000";
    swr_rate_ = static_cast<double>(n);
  }
  if (std::string e = ReadEndpointFlags(args_, &flags_); !e.empty()) return e;
  flags_.connection.log_sink = [this](swr::LogLevel, const std::string& line) { Log(line); };
  if (args_.Has("output-images-format")) {
    std::string f = args_.Get("output-images-format");
    if (f != "json" && f != "yaml") return "--output-images-format must be json or yaml";
  }
  rewrite_.os = args_.GetAll("os");
  rewrite_.arch = args_.GetAll("arch");
  rewrite_.oci_to_docker = args_.Has("oci-index-to-docker-list");
  for (const auto& h : args_.GetAll("swr-host")) swr_hosts_.insert(h);
  force_ = args_.Has("force");
  quiet_ = args_.Has("quiet");
  tty_ = isatty(STDERR_FILENO) && !quiet_;
  return "";
}

swr::StatusOr<Endpoint*> SyncRun::EndpointFor(const std::string& host, const std::string& repo) {
  const AuthEntry* auth = config_.AuthFor(host + "/" + repo);
  std::string key = auth ? auth->key : host;
  if (auto it = endpoints_.find(key); it != endpoints_.end()) return it->second.get();
  auto ep = std::make_unique<Endpoint>();
  ep->key = key;
  ep->host = host;
  ep->swr = swr_hosts_.count(host) > 0 || swr::IsSwrRegistryHost(host);
  bool insecure = auth && auth->insecure;
  // image-syncer's "insecure": an http registry, or TLS not verified. The
  // scheme is found by asking the registry.
  std::string url = "https://" + host;
  auto build = [&](const std::string& u) -> Status {
    EndpointSpec spec;
    spec.url = u;
    spec.insecure = insecure;
    spec.plain_http = insecure;
    if (ep->swr) {
      if (auth && !auth->username.empty()) {
        spec.access_id = auth->username;
        spec.secret = auth->password;
      } else if (flags_.creds.access_key.empty() || flags_.creds.secret_key.empty() || flags_.creds.project.empty()) {
        return Status(Code::kInvalidArgument,
                      host +
                          " is SWR: give it an auth entry (username '<project>@<AK>', password the SK) or set "
                          "OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME");
      }
      spec.limits = {swr_rate_, 16};
      auto c = MakeSwrEndpoint(flags_, spec);
      if (!c.ok()) return c.status();
      ep->swr_client = std::move(c).value();
      ep->registry = ep->swr_client->registry_client();
      return swr::OkStatus();
    }
    spec.limits = {0, 32};
    if (auth) spec.basic = {auth->username, auth->password};
    auto c = MakeRegistryEndpoint(flags_, spec);
    if (!c.ok()) return c.status();
    ep->registry = std::move(c).value();
    return swr::OkStatus();
  };
  if (insecure) {
    url = swr::registry::ProbeRegistryUrl(host, flags_.connection, cancel_);
  }
  SWR_RETURN_IF_ERROR(build(url));
  ep->gate = std::make_shared<swr::replication::TransferGate>(proc_);
  Endpoint* raw = ep.get();
  endpoints_[key] = std::move(ep);
  return raw;
}

void SyncRun::AddImage(const std::string& source, const std::string& destination, const std::string& where) {
  RuleReference s = ParseRuleReference(source), d = ParseRuleReference(destination);
  Image img;
  img.source = source;
  img.destination = destination;
  img.where = where;
  img.src_repo = s.repo;
  img.src_ref = s.digest.empty() ? (s.tags.empty() ? "latest" : s.tags[0]) : s.digest;
  img.dst_repo = d.repo;
  img.dst_tag = d.tags.empty() ? (s.digest.empty() ? img.src_ref : "") : d.tags[0];
  auto src = EndpointFor(s.host, s.repo);
  auto dst = EndpointFor(d.host, d.repo);
  if (!src.ok() || !dst.ok()) {
    img.outcome = Outcome::kFailed;
    img.error = (!src.ok() ? src.status() : dst.status()).message();
  } else {
    img.src = *src;
    img.dst = *dst;
  }
  images_.push_back(std::move(img));
}

Status SyncRun::Plan() {
  for (const auto& rule : config_.images) {
    RuleReference s = ParseRuleReference(rule.source);
    std::vector<std::string> sources;
    if (!s.digest.empty()) {
      sources.push_back(rule.source);
    } else if (!s.tags.empty()) {
      for (const auto& t : s.tags) sources.push_back(s.host + "/" + s.repo + ":" + t);
    } else {
      // All tags of the repository.
      auto ep = EndpointFor(s.host, s.repo);
      if (!ep.ok()) {
        plan_errors_.push_back(rule.where + ": " + rule.source + ": " + ep.status().message());
        continue;
      }
      swr::CallContext ctx;
      ctx.cancel = cancel_;
      auto tags = (*ep)->registry->ListTags(s.repo, ctx);
      if (!tags.ok()) {
        plan_errors_.push_back(rule.where + ": " + rule.source + ": list the tags: " + tags.status().ToString());
        continue;
      }
      for (const auto& t : *tags) sources.push_back(s.host + "/" + s.repo + ":" + t);
    }
    for (const auto& src : sources) {
      RuleReference sp = ParseRuleReference(src);
      for (const auto& dest : rule.destinations) {
        RuleReference dp = ParseRuleReference(dest);
        std::string full = dest;
        if (dp.tags.empty() && sp.digest.empty()) full = dp.host + "/" + dp.repo + ":" + sp.tags[0];
        AddImage(src, full, rule.where);
      }
    }
  }
  return swr::OkStatus();
}

// --retry-failed REPORT: the failed and cancelled images of an earlier run.
Status SyncRun::PlanFromReport(const std::string& path) {
  std::string text;
  if (!ReadFile(path, &text)) return Status(Code::kInvalidArgument, "cannot read --retry-failed '" + path + "'");
  auto doc = swr::Json::Parse(text);
  if (!doc.ok())
    return Status(Code::kInvalidArgument, path + ": not a report of swrctl sync: " + doc.status().message());
  auto images = doc->Find("images");
  if (!images || !images->IsArray()) return Status(Code::kInvalidArgument, path + ": no 'images' list");
  for (size_t i = 0; i < images->Size(); ++i) {
    swr::Json e = images->At(i);
    std::string status = e.GetString("status");
    if (status != "failed" && status != "cancelled") continue;
    std::string source = e.GetString("source"), destination = e.GetString("destination");
    if (source.empty() || destination.empty()) continue;
    // A report is input like any other: its names are checked before use.
    std::string where = path + ": images[" + std::to_string(i) + "]";
    SWR_RETURN_IF_ERROR(CheckReference(source, where, true));
    SWR_RETURN_IF_ERROR(CheckReference(destination, where, false));
    AddImage(source, destination, path);
  }
  return swr::OkStatus();
}

void SyncRun::Log(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  view_.Clear();  // the next Progress() draws the view again below the line
  std::cerr << "swrctl: " << RunRedactor().RedactLine(line) << "\n";
}

Status SyncRun::EnsureOrganization(Endpoint& ep, const std::string& repo) {
  if (!ep.swr || !ep.swr_client) return swr::OkStatus();
  // Once per organization: the client remembers (swr/organization_cache.h).
  return ep.swr_client->management().EnsureOrganization(repo.substr(0, repo.find('/')));
}

void SyncRun::SyncImage(Image& img) {
  auto t0 = Clock::now();
  ++img.attempts;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++images_in_flight_;
  }
  auto finish = [&](Outcome o, std::string error) {
    img.outcome = cancel_->cancelled() && o == Outcome::kFailed ? Outcome::kCancelled : o;
    img.error = std::move(error);
    img.seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    std::lock_guard<std::mutex> lock(mu_);
    --images_in_flight_;
    if (img.outcome == Outcome::kFailed) ++failed_;
    if (img.outcome == Outcome::kSkipped) ++skipped_;
    if (img.outcome != Outcome::kCancelled) ++done_;
    if (!tty_ && !quiet_) std::cerr << RunRedactor().RedactLine(SyncView::ImageLine(img)) << "\n";
  };
  if (cancel_->cancelled()) return finish(Outcome::kCancelled, "stopped before it started");

  swr::replication::CopyOptions opts;
  opts.parallel_blobs = proc_;
  opts.gate = img.dst->gate;
  opts.cancel = cancel_;
  opts.rewrite = rewrite_;
  opts.force = force_;
  opts.min_bytes_per_second = swr::http::kDefaultMinBytesPerSecond;
  if (image_deadline_) opts.deadline = Clock::now() + *image_deadline_;
  opts.before_destination = [&] { return EnsureOrganization(*img.dst, img.dst_repo); };
  // Bytes on the wire: progress counts mounted and existing blobs as done
  // too; those are taken out again as their events arrive.
  opts.on_progress = [&, last = int64_t(0)](const swr::replication::CopyProgress& p) mutable {
    bytes_moved_ += p.bytes_done - last;
    last = p.bytes_done;
    return true;
  };
  opts.on_blob = [&](const swr::replication::BlobEvent& e) {
    if (e.outcome != swr::replication::BlobOutcome::kCopied) bytes_moved_ -= e.size;
  };
  swr::replication::CopyEngine engine;
  // The no-op check of the engine: one HEAD at each end.
  if (auto same = engine.UpToDate(*img.src->registry, img.src_repo, img.src_ref, *img.dst->registry, img.dst_repo,
                                  img.dst_tag, opts)) {
    img.digest = *same;
    return finish(Outcome::kSkipped, "");
  }
  auto r =
      engine.Copy(*img.src->registry, img.src_repo, img.src_ref, *img.dst->registry, img.dst_repo, img.dst_tag, opts);
  if (!r.ok()) {
    std::string msg = r.status().ToString();
    if (r.status().reason() == swr::Reason::kOciIndexRefused) msg += std::string("; ") + kSwrRefusesOciIndex;
    return finish(Outcome::kFailed, msg);
  }
  img.digest = r->digest;
  img.bytes = r->bytes_copied;
  img.blobs_copied = r->blobs_copied;
  img.blobs_mounted = r->blobs_mounted;
  img.blobs_existing = r->blobs_existing;
  img.rewritten = r->rewritten;
  finish(r->already_present ? Outcome::kSkipped : Outcome::kCopied, "");
}

void SyncRun::Progress() {
  std::lock_guard<std::mutex> lock(mu_);
  ViewState state;
  state.total = images_.size();
  state.done = done_;
  state.skipped = skipped_;
  state.failed = failed_;
  state.images_in_flight = images_in_flight_;
  state.bytes = bytes_moved_.load();
  state.seconds = std::chrono::duration<double>(Clock::now() - started_).count();
  for (const auto& [key, ep] : endpoints_) {
    if (!ep->gate) continue;
    for (auto& t : ep->gate->Moving()) state.moving.push_back(std::move(t));
  }
  view_.Draw(state);
}

void SyncRun::RunPass(const std::vector<Image*>& images) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < images.size(); i = next++) SyncImage(*images[i]);
  };
  std::vector<std::thread> threads;
  size_t n = std::min<size_t>(static_cast<size_t>(proc_), images.size());
  for (size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  // The progress view and the SIGINT watch, on this thread.
  std::atomic<bool> all_done{false};
  std::thread joiner([&] {
    for (auto& t : threads) t.join();
    all_done = true;
  });
  while (!all_done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (g_interrupts.load() > 0 && !cancel_->cancelled()) {
      Log("interrupted: stopping (in-flight uploads are cancelled; no manifest is pushed without its blobs; "
          "Ctrl-C again to quit at once)");
      cancel_->Cancel();
    }
    if (tty_) Progress();
  }
  joiner.join();
  if (tty_) {
    Progress();
    std::lock_guard<std::mutex> lock(mu_);
    view_.Finish();
  }
}

int SyncRun::Finish() {
  int failed = 0, cancelled = 0;
  for (const auto& i : images_) {
    failed += i.outcome == Outcome::kFailed;
    cancelled += i.outcome == Outcome::kCancelled || i.outcome == Outcome::kPending;
  }
  int copied = 0, skipped = 0;
  int64_t bytes = 0;
  for (const auto& i : images_) {
    copied += i.outcome == Outcome::kCopied;
    skipped += i.outcome == Outcome::kSkipped;
    bytes += i.bytes;
  }
  bool write_ok = true;
  if (args_.Has("report")) {
    const double secs = std::chrono::duration<double>(Clock::now() - started_).count();
    Status s =
        WriteFileSafely(args_.Get("report"), ReportJson(images_, plan_errors_, cancel_->cancelled(), secs) + "\n");
    if (!s.ok()) {
      // A lost report is a failed run: say so.
      std::cerr << "swrctl: the report was not written: " << RunRedactor().RedactLine(s.message()) << "\n";
      write_ok = false;
    }
  }
  if (args_.Has("output-success-images")) {
    Status s = WriteSuccessImages(images_, args_.Get("output-success-images"),
                                  args_.Get("output-images-format", "yaml") == "json");
    if (!s.ok()) {
      std::cerr << "swrctl: the successful images were not written: " << RunRedactor().RedactLine(s.message()) << "\n";
      write_ok = false;
    }
  }
  double secs = std::chrono::duration<double>(Clock::now() - started_).count();
  if (!quiet_) {
    std::cerr << fmt::format("sync {} in {:.1f}s: {} images, {} copied ({}), {} up to date, {} failed{}\n",
                             cancel_->cancelled() ? "interrupted" : "done", secs, images_.size(), copied,
                             HumanBytes(static_cast<double>(bytes)), skipped, failed,
                             cancelled ? fmt::format(", {} not done", cancelled) : "");
  }
  for (const auto& e : plan_errors_) std::cerr << "swrctl: " << RunRedactor().RedactLine(e) << "\n";
  if (failed) {
    std::cerr << "failed images:\n";
    for (const auto& i : images_) {
      if (i.outcome == Outcome::kFailed) {
        std::cerr << RunRedactor().RedactLine("  " + i.source + " -> " + i.destination + ": " + i.error) << "\n";
      }
    }
  }
  if (cancel_->cancelled()) return 130;
  return failed || cancelled || !plan_errors_.empty() || !write_ok ? kExitFailed : kExitOk;
}

int SyncRun::Main() {
  if (args_.positional().size() != 1) return Usage("sync takes no positional arguments (the images file names them)");
  if (std::string e = ParseFlags(); !e.empty()) return Usage(e);
  if (std::string e = LoadConfig(); !e.empty()) return Usage(e);

  struct sigaction sa {};
  sa.sa_handler = OnInterrupt;
  sigemptyset(&sa.sa_mask);
  struct sigaction old {
  }, old_term{};
  sigaction(SIGINT, &sa, &old);
  sigaction(SIGTERM, &sa, &old_term);  // service managers and kill: the same clean stop
  g_interrupts = 0;

  Status planned = args_.Has("retry-failed") ? PlanFromReport(args_.Get("retry-failed")) : Plan();
  if (!planned.ok()) return Usage(planned.message());
  if (!quiet_) {
    std::cerr << fmt::format("sync: {} images from {} rules, {} at once{}\n", images_.size(),
                             args_.Has("retry-failed") ? 0 : config_.images.size(), proc_,
                             args_.Has("dry-run") ? " (dry run)" : "");
  }
  if (args_.Has("dry-run")) {
    int errors = DryRun();
    sigaction(SIGINT, &old, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    return plan_errors_.empty() && errors == 0 ? kExitOk : kExitFailed;
  }
  std::vector<Image*> pass;
  for (auto& i : images_) {
    if (i.outcome == Outcome::kPending) pass.push_back(&i);
  }
  RunPass(pass);
  for (int round = 1; round <= retries_ && !cancel_->cancelled(); ++round) {
    std::vector<Image*> again;
    for (auto& i : images_) {
      if (i.outcome == Outcome::kFailed && i.src && i.dst) again.push_back(&i);
    }
    if (again.empty()) break;
    if (!quiet_)
      std::cerr << fmt::format("retrying {} failed image(s), round {} of {}\n", again.size(), round, retries_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      failed_ -= static_cast<int>(again.size());
      done_ -= static_cast<int>(again.size());
    }
    RunPass(again);
  }
  int rc = Finish();
  sigaction(SIGINT, &old, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  return rc;
}

// The plan: per image, what would move, with sizes; nothing is written.
int SyncRun::DryRun() {
  std::map<std::string, std::set<std::string>> planned;  // endpoint key -> digests planned for upload
  int64_t total_copy = 0;
  int errors = 0;
  auto error = [&](const Image& img, const std::string& why) {
    ++errors;
    std::cout << RunRedactor().RedactLine(fmt::format("error   {} -> {}: {}", img.source, img.destination, why))
              << "\n";
  };
  for (auto& img : images_) {
    if (img.outcome == Outcome::kFailed) {
      error(img, img.error);
      continue;
    }
    swr::CallContext ctx;
    ctx.cancel = cancel_;
    // The engine's own plan: the same rewrite (--os/--arch, conversion),
    // the same target, the same blobs as the copy would have.
    swr::replication::CopyOptions opts;
    opts.cancel = cancel_;
    opts.rewrite = rewrite_;
    opts.force = force_;
    swr::replication::CopyEngine engine;
    auto plan =
        engine.Plan(*img.src->registry, img.src_repo, img.src_ref, *img.dst->registry, img.dst_repo, img.dst_tag, opts);
    if (!plan.ok()) {
      error(img, plan.status().ToString());
      continue;
    }
    if (img.dst->swr && plan->media_type == swr::registry::kOciIndex) {
      error(img, std::string("an OCI image index: ") + kSwrRefusesOciIndex);
      continue;
    }
    if (plan->already_present && !force_) {
      std::cout << fmt::format("skip    {} -> {}: up to date ({}{})\n", img.source, img.destination, plan->digest,
                               plan->rewritten ? ", rewritten" : "");
      continue;
    }
    std::string changed = plan->rewritten ? fmt::format(" (rewritten: {})", plan->digest) : "";
    if (plan->already_present) changed += "; up to date, forced: its manifests are pushed again";
    auto n = swr::replication::ClassifyPlanBlobs(*plan, *img.dst->registry, img.dst_repo, &planned[img.dst->key], ctx);
    total_copy += n.copy_bytes;
    std::cout << fmt::format("copy    {} -> {}: {}{}\n", img.source, img.destination, PlanLine(n), changed);
  }
  for (const auto& e : plan_errors_) std::cout << "error   " << RunRedactor().RedactLine(e) << "\n";
  std::cout << fmt::format("total: {} to copy\n", HumanBytes(static_cast<double>(total_copy)));
  return errors;
}

}  // namespace

int CmdSync(const Args& args) {
  SyncRun run(args);
  return run.Main();
}

}  // namespace swrctl
