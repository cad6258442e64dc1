#include "replication/copy_engine.h"

#include "common/wait.h"
#include "http/retry.h"
#include "replication/manifest_rewrite.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace swr::replication {
namespace {

using registry::Descriptor;
using registry::RegistryClient;

// The blob retries' policy: the transport's kind (http::RetryPolicy), with
// the copy's attempts and first pause, doubling up to 8 s, no jitter.
http::RetryPolicy BlobRetry(const CopyOptions& o) {
  http::RetryPolicy p;
  p.max_attempts = std::max(1, o.blob_attempts);
  p.initial_backoff = o.retry_backoff;
  p.max_backoff = std::chrono::seconds(8);
  p.multiplier = 2;
  p.jitter = 0;
  return p;
}

// One image copy in progress: shared state of its worker threads.
class ImageCopy {
 public:
  ImageCopy(RegistryClient& src, std::string src_repo, RegistryClient& dst, std::string dst_repo,
            const CopyOptions& options)
      : src_(src),
        src_repo_(std::move(src_repo)),
        dst_(dst),
        dst_repo_(std::move(dst_repo)),
        options_(options),
        caller_cancel_(options.cancel, [this] { Stop(Status(Code::kCancelled, "the copy was cancelled")); }) {
    ctx_.cancel = cancel_;
    ctx_.deadline = options.deadline;
    ctx_.min_bytes_per_second = options.min_bytes_per_second;
  }

  StatusOr<CopyResult> Run(const std::string& src_ref, const std::string& dst_ref);
  // Reads the source, rewrites it, asks the destination whether it has the
  // image, and walks the tree (blobs_, children_, top_) when it has not;
  // `planning`: nothing is written and before_destination is not called.
  StatusOr<CopyPlan> Prepare(const std::string& src_ref, const std::string& dst_ref, bool planning);

 private:
  // Walks the manifest tree: collects blobs and the child manifests to push.
  Status Collect(const registry::Manifest& m, int depth);
  // The top manifest as options_.rewrite wants it (children it rewrote go
  // to provided_).
  StatusOr<registry::Manifest> Rewrite(const registry::Manifest& top);
  Status CopyBlobs();
  Status CopyBlob(const Descriptor& d);
  // `slot` hears of every byte moved (the run's progress view).
  Status Transfer(const Descriptor& d, TransferSlot& slot);
  Status TransferChunked(const Descriptor& d, TransferSlot& slot);
  void Progress(int64_t bytes, bool blob_done, const BlobEvent* event);
  // Stops every transfer of this copy (a callback said so).
  void Stop(Status why);
  bool stopped() const { return stopped_; }
  // Waits `d`, less when the copy stops or its deadline comes first.
  void Pause(std::chrono::milliseconds d);
  // `call()` again while the registry says it is overloaded (503, 429:
  // SWR above its request rate), up to 8 more times with growing pauses;
  // the transport's own retries gave up already.
  template <typename Call>
  auto WhileOverloaded(Call call) -> decltype(call());

  RegistryClient& src_;
  std::string src_repo_;
  RegistryClient& dst_;
  std::string dst_repo_;
  const CopyOptions& options_;

  std::vector<Descriptor> blobs_;  // unique, in order
  std::set<std::string> seen_blobs_;
  std::vector<registry::Manifest> children_;  // pushed by digest before the top
  registry::Manifest top_;                    // pushed last, under the target
  std::set<std::string> seen_children_;
  std::map<std::string, registry::Manifest> provided_;  // rewritten children, by their new digest

  std::mutex mu_;           // guards result_ and progress_
  std::mutex callback_mu_;  // serialises callbacks (taken without mu_)
  std::mutex stop_mu_;
  CopyResult result_;
  CopyProgress progress_;
  std::chrono::steady_clock::time_point last_report_;
  std::atomic<bool> stopped_{false};
  Status stop_reason_;  // set before stopped_
  // Every call of this copy carries cancel_; Stop() fires it.
  std::shared_ptr<CancelToken> cancel_ = std::make_shared<CancelToken>();
  CallContext ctx_;
  CancelRegistration caller_cancel_;  // last: registered once the rest exists
};

void ImageCopy::Pause(std::chrono::milliseconds d) {
  // The library's one cancellable wait: Stop() fires cancel_, which ends it.
  CancellableWait(*DefaultClock(), d, cancel_, options_.deadline);
}

template <typename Call>
auto ImageCopy::WhileOverloaded(Call call) -> decltype(call()) {
  auto result = call();
  const http::RetryPolicy retry = BlobRetry(options_);
  for (int more = 0; more < 8 && !result.ok() && !stopped_; ++more) {
    const Status& s = result.status();
    if (s.http_status() != 503 && s.http_status() != 429) break;
    Pause(retry.Delay(more));
    if (stopped_) break;
    result = call();
  }
  return result;
}

void ImageCopy::Stop(Status why) {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    if (stopped_) return;
    stop_reason_ = std::move(why);
    stopped_ = true;
  }
  cancel_->Cancel();
}

Status ImageCopy::Collect(const registry::Manifest& m, int depth) {
  if (depth > 2) return Status(Code::kProtocol, "manifest lists nested too deeply");
  auto content = registry::ParseManifest(m.media_type, m.body);
  if (!content.ok()) return content.status();
  if (content->media_type == registry::kDockerSchema1 || content->media_type == registry::kDockerSchema1Signed) {
    return Status(Code::kUnsupported, "Docker schema 1 manifests can be read but not copied; convert the image first");
  }
  for (const auto& d : content->blobs) {
    if (seen_blobs_.insert(d.digest).second) blobs_.push_back(d);
  }
  for (const auto& child : content->manifests) {
    if (!seen_children_.insert(child.digest).second) continue;
    auto provided = provided_.find(child.digest);
    auto cm = provided != provided_.end()
                  ? StatusOr<registry::Manifest>(provided->second)
                  : src_.GetManifest(src_repo_, child.digest, registry::AcceptedManifestTypes(), ctx_);
    if (!cm.ok()) return cm.status();
    SWR_RETURN_IF_ERROR(Collect(*cm, depth + 1));
    children_.push_back(std::move(cm).value());
  }
  return OkStatus();
}

void ImageCopy::Progress(int64_t bytes, bool blob_done, const BlobEvent* event) {
  bool due = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    progress_.bytes_done += bytes;
    if (blob_done) ++progress_.blobs_done;
    auto now = std::chrono::steady_clock::now();
    if (options_.on_progress && !stopped_ && (blob_done || now - last_report_ >= std::chrono::milliseconds(100))) {
      last_report_ = now;
      due = true;
    }
  }
  if (!due && !(event && options_.on_blob)) return;
  bool keep_going = true;
  {
    // Callbacks run one at a time, in order, and with no lock a call back
    // into the library could need.
    std::lock_guard<std::mutex> serial(callback_mu_);
    if (event && options_.on_blob) options_.on_blob(*event);
    if (due) {
      CopyProgress snapshot;
      {
        std::lock_guard<std::mutex> lock(mu_);
        snapshot = progress_;
      }
      keep_going = options_.on_progress(snapshot);
    }
  }
  if (!keep_going) Stop(Status(Code::kCallbackAborted, "the progress callback stopped the copy"));
}

Status ImageCopy::Transfer(const Descriptor& d, TransferSlot& slot) {
  auto stream = src_.OpenBlob(src_repo_, d.digest, 0, -1, options_.verify_downloads, ctx_);
  if (!stream.ok()) return stream.status();
  if (d.size >= 0 && stream->size >= 0 && stream->size != d.size) {
    stream->pipe->Abort(Status(Code::kCancelled, "size mismatch"));
    return Status(Code::kDigestMismatch, fmt::format("blob {} is {} bytes at the source, the manifest says {}",
                                                     d.digest, stream->size, d.size));
  }
  int64_t size = stream->size >= 0 ? stream->size : d.size;
  // Progress counts what the destination has taken in.
  stream->pipe->SetReadObserver([this, &slot](size_t n) {
    slot.Moved(static_cast<int64_t>(n));
    Progress(static_cast<int64_t>(n), false, nullptr);
  });
  Status s = dst_.PushBlob(dst_repo_, d.digest, size, stream->pipe, ctx_);
  if (!s.ok()) {
    // Take back the partial progress of this attempt.
    Progress(-static_cast<int64_t>(stream->pipe->bytes_read()), false, nullptr);
  }
  return s;
}

Status ImageCopy::TransferChunked(const Descriptor& d, TransferSlot& slot) {
  if (d.size < 0) return Status(Code::kProtocol, "chunked copy needs the blob size from the manifest");
  auto session = dst_.StartUpload(dst_repo_, ctx_);
  if (!session.ok()) return session.status();
  int failures = 0;
  while (session->offset < d.size) {
    int64_t len = std::min(options_.chunk_size, d.size - session->offset);
    auto stream = src_.OpenBlob(src_repo_, d.digest, session->offset, len, true, ctx_);
    Status s = stream.status();
    if (stream.ok()) {
      stream->pipe->SetReadObserver([this, &slot](size_t n) {
        slot.Moved(static_cast<int64_t>(n));
        Progress(static_cast<int64_t>(n), false, nullptr);
      });
      auto next = dst_.UploadChunk(dst_repo_, *session, stream->pipe, len, ctx_);
      if (next.ok()) {
        session = next;
        continue;
      }
      s = next.status();
      slot.Moved(-static_cast<int64_t>(stream->pipe->bytes_read()));
      Progress(-static_cast<int64_t>(stream->pipe->bytes_read()), false, nullptr);
    }
    if (stopped_) return stop_reason_;
    if (!s.retryable() || ++failures >= options_.blob_attempts * 3) return s;
    // Resume from what the registry holds; the connection that failed may
    // take the next request down with it, so the question is asked again.
    StatusOr<registry::UploadSession> status = Status(Code::kUnknown, "not asked");
    for (int ask = 0; ask < 3; ++ask) {
      status = dst_.UploadStatus(dst_repo_, *session, ctx_);
      if (status.ok() || !status.status().retryable()) break;
    }
    if (!status.ok()) return status.status();
    slot.Moved(status->offset - session->offset);
    Progress(status->offset - session->offset, false, nullptr);
    session = status;
  }
  return dst_.FinishUpload(dst_repo_, *session, d.digest, ctx_);
}

Status ImageCopy::CopyBlob(const Descriptor& d) {
  int64_t size = d.size < 0 ? 0 : d.size;
  auto existing = WhileOverloaded([&] { return dst_.BlobSize(dst_repo_, d.digest, ctx_); });
  if (existing.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++result_.blobs_existing;
    }
    BlobEvent e{d.digest, size, BlobOutcome::kExisting};
    Progress(size, true, &e);
    return OkStatus();
  }
  if (existing.status().code() != Code::kNotFound) return existing.status();
  // The destination's client knows where it has seen, sent or mounted each
  // blob. With a gate, a blob another copy is uploading is waited for and
  // then mounted from where it went.
  for (;;) {
    for (const auto& from : dst_.mounts().Find(d.digest, dst_repo_)) {
      auto mounted = dst_.MountBlob(dst_repo_, d.digest, from, ctx_);
      if (mounted.ok() && *mounted) {
        {
          std::lock_guard<std::mutex> lock(mu_);
          ++result_.blobs_mounted;
        }
        BlobEvent e{d.digest, size, BlobOutcome::kMounted};
        Progress(size, true, &e);
        return OkStatus();
      }
      if (!mounted.ok() && mounted.status().code() == Code::kCancelled) return mounted.status();
    }
    if (!options_.gate) break;
    bool leader = false;
    Status claimed = options_.gate->Claim(d.digest, cancel_, &leader);
    if (stopped_) return stop_reason_;
    SWR_RETURN_IF_ERROR(claimed);
    if (leader) break;
    // Another copy's transfer ended: it may have gone to this repository.
    if (dst_.BlobSize(dst_repo_, d.digest, ctx_).ok()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++result_.blobs_existing;
      }
      BlobEvent e{d.digest, size, BlobOutcome::kExisting};
      Progress(size, true, &e);
      return OkStatus();
    }
  }
  struct Release {
    TransferGate* gate;
    const std::string& digest;
    ~Release() {
      if (gate) gate->Finish(digest);
    }
  } release{options_.gate.get(), d.digest};
  Status last;
  const http::RetryPolicy retry = BlobRetry(options_);
  int pauses = 0;
  // A registry that says it is overloaded (503, 429: SWR above its request
  // rate) gets more time: up to 8 such answers do not use up an attempt.
  int overloaded = 0;
  for (int attempt = 1; attempt <= retry.max_attempts; ++attempt) {
    if (stopped_) return stop_reason_;
    if (attempt > 1) {
      // SWR answers 503 above its request rate: give it room before trying again.
      Pause(retry.Delay(pauses++));
      if (stopped_) return stop_reason_;
      if (options_.deadline && std::chrono::steady_clock::now() >= *options_.deadline) break;
    }
    {
      TransferSlot slot(options_.gate.get());
      last = slot.Acquire(cancel_, {dst_repo_, d.digest, d.size, 0});
      if (stopped_) return stop_reason_;
      if (last.ok()) last = options_.chunk_size > 0 ? TransferChunked(d, slot) : Transfer(d, slot);
    }
    if (stopped_) return stop_reason_;
    if (last.ok() || !last.retryable()) break;
    if ((last.http_status() == 503 || last.http_status() == 429) && overloaded < 8) {
      ++overloaded;
      --attempt;
    }
  }
  // (A transfer's own timer may fire a moment before the deadline itself.)
  if (!last.ok() && options_.deadline &&
      std::chrono::steady_clock::now() + std::chrono::milliseconds(250) >= *options_.deadline) {
    return Status(Code::kTimeout,
                  fmt::format("the copy's deadline passed while blob {} was moving ({})", d.digest, last.message()));
  }
  if (!last.ok()) return Status(last.code(), fmt::format("blob {}: {}", d.digest, last.message())).WithDetailsOf(last);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++result_.blobs_copied;
    result_.bytes_copied += size;
  }
  BlobEvent e{d.digest, size, BlobOutcome::kCopied};
  Progress(0, true, &e);
  return OkStatus();
}

Status ImageCopy::CopyBlobs() {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex err_mu;
  Status first_error;
  auto worker = [&] {
    while (!failed) {
      size_t i = next++;
      if (i >= blobs_.size()) return;
      Status s = CopyBlob(blobs_[i]);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(err_mu);
        if (first_error.ok()) first_error = s;
        failed = true;
      }
    }
  };
  size_t n = std::min<size_t>(std::max(1, options_.parallel_blobs), blobs_.size());
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n; ++i) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return first_error;
}

StatusOr<registry::Manifest> ImageCopy::Rewrite(const registry::Manifest& top) {
  const RewritePolicy& policy = options_.rewrite;
  if (top.media_type != registry::kOciIndex && top.media_type != registry::kDockerManifestList) {
    return ConvertManifest(top, policy);
  }
  auto entries = ListEntries(top);
  if (!entries.ok()) return entries.status();
  std::vector<std::string> keep;
  std::vector<registry::Manifest> replacement;
  bool changed = false;
  for (const auto& e : *entries) {
    if (policy.filters() && !PlatformWanted(policy, e.os, e.arch)) {
      changed = true;
      continue;
    }
    keep.push_back(e.digest);
    registry::Manifest same;
    same.digest = e.digest;
    if (policy.oci_to_docker && e.media_type == registry::kOciManifest) {
      auto child = src_.GetManifest(src_repo_, e.digest, registry::AcceptedManifestTypes(), ctx_);
      if (!child.ok()) return child.status();
      auto converted = ConvertManifest(*child, policy);
      if (!converted.ok()) return converted.status();
      provided_[converted->digest] = *converted;
      replacement.push_back(*converted);
      changed = true;
    } else {
      replacement.push_back(same);
    }
  }
  if (policy.oci_to_docker && top.media_type == registry::kOciIndex) changed = true;
  if (!changed) return top;
  return RewriteList(top, keep, replacement, policy);
}

StatusOr<CopyPlan> ImageCopy::Prepare(const std::string& src_ref, const std::string& dst_ref, bool planning) {
  auto fetched = src_.GetManifest(src_repo_, src_ref, registry::AcceptedManifestTypes(), ctx_);
  if (!fetched.ok()) return fetched.status();
  auto top = options_.rewrite.active() ? Rewrite(*fetched) : StatusOr<registry::Manifest>(*fetched);
  if (!top.ok()) return top.status();
  CopyPlan plan;
  plan.digest = top->digest;
  plan.media_type = top->media_type;
  plan.rewritten = top->digest != fetched->digest;
  plan.target = dst_ref.empty() ? (plan.rewritten && registry::IsDigest(src_ref) ? top->digest : src_ref) : dst_ref;
  if (!planning && options_.before_destination) SWR_RETURN_IF_ERROR(options_.before_destination());

  auto existing = dst_.HeadManifest(dst_repo_, plan.target, ctx_);
  if (existing.ok() && existing->digest == top->digest) {
    plan.already_present = true;
    if (!options_.force) return plan;
  }
  // A plan may ask where nothing exists yet (an SWR organization that the
  // copy would create answers as if the caller had no access).
  bool absent = !existing.ok() && (existing.status().code() == Code::kNotFound ||
                                   (planning && (existing.status().code() == Code::kUnauthenticated ||
                                                 existing.status().code() == Code::kPermissionDenied)));
  if (!existing.ok() && !absent) return existing.status();

  SWR_RETURN_IF_ERROR(Collect(*top, 0));
  plan.blobs = blobs_;
  plan.manifests = static_cast<int>(children_.size()) + 1;
  top_ = std::move(top).value();
  return plan;
}

StatusOr<CopyResult> ImageCopy::Run(const std::string& src_ref, const std::string& dst_ref) {
  auto plan = Prepare(src_ref, dst_ref, false);
  if (!plan.ok()) return plan.status();
  result_.digest = plan->digest;
  result_.media_type = plan->media_type;
  result_.rewritten = plan->rewritten;
  if (plan->already_present && !options_.force) {
    result_.already_present = true;
    return result_;
  }
  const std::string& target = plan->target;
  for (const auto& b : blobs_) {
    progress_.bytes_total += b.size < 0 ? 0 : b.size;
  }
  progress_.blobs_total = static_cast<int>(blobs_.size());
  Progress(0, false, nullptr);
  // A stopped copy fails with the reason it was stopped (a callback, the
  // caller's cancel), not with the cancellation its requests saw.
  Status blobs = CopyBlobs();
  if (stopped_) return stop_reason_;
  SWR_RETURN_IF_ERROR(blobs);

  for (const auto& child : children_) {
    // Forced over an image the destination has: every manifest again.
    if (!plan->already_present && dst_.HeadManifest(dst_repo_, child.digest, ctx_).ok()) continue;
    auto pushed = dst_.PutManifest(dst_repo_, child.digest, child.media_type, child.body, ctx_);
    if (!pushed.ok()) return pushed.status();
    ++result_.manifests_pushed;
  }
  auto pushed = dst_.PutManifest(dst_repo_, target, top_.media_type, top_.body, ctx_);
  if (!pushed.ok()) return pushed.status();  // SWR's refusal of an OCI index: Reason::kOciIndexRefused
  ++result_.manifests_pushed;
  return result_;
}

}  // namespace

StatusOr<CopyResult> CopyEngine::Copy(RegistryClient& src, const std::string& src_repo, const std::string& src_ref,
                                      RegistryClient& dst, const std::string& dst_repo, const std::string& dst_ref,
                                      const CopyOptions& options) {
  ImageCopy copy(src, src_repo, dst, dst_repo, options);
  return copy.Run(src_ref, dst_ref);
}

std::optional<std::string> CopyEngine::UpToDate(RegistryClient& src, const std::string& src_repo,
                                                const std::string& src_ref, RegistryClient& dst,
                                                const std::string& dst_repo, const std::string& dst_ref,
                                                const CopyOptions& options) {
  if (options.force || options.rewrite.active()) return std::nullopt;
  CallContext ctx;
  ctx.cancel = options.cancel;
  auto s = src.HeadManifest(src_repo, src_ref, ctx);
  if (!s.ok()) return std::nullopt;
  auto d = dst.HeadManifest(dst_repo, dst_ref.empty() ? s->digest : dst_ref, ctx);
  if (!d.ok() || d->digest != s->digest) return std::nullopt;
  return s->digest;
}

StatusOr<CopyPlan> CopyEngine::Plan(registry::RegistryClient& src, const std::string& src_repo,
                                    const std::string& src_ref, registry::RegistryClient& dst,
                                    const std::string& dst_repo, const std::string& dst_ref,
                                    const CopyOptions& options) {
  ImageCopy copy(src, src_repo, dst, dst_repo, options);
  return copy.Prepare(src_ref, dst_ref, true);
}

PlanCounts ClassifyPlanBlobs(const CopyPlan& plan, registry::RegistryClient& dst, const std::string& dst_repo,
                             std::set<std::string>* planned, const CallContext& ctx) {
  PlanCounts n;
  std::set<std::string> seen;
  for (const auto& b : plan.blobs) {
    if (!seen.insert(b.digest).second) continue;
    int64_t size = b.size < 0 ? 0 : b.size;
    if (dst.BlobSize(dst_repo, b.digest, ctx).ok()) {
      ++n.existing;
      n.existing_bytes += size;
    } else if ((planned && planned->count(b.digest)) || !dst.mounts().Find(b.digest, dst_repo).empty()) {
      ++n.mount;
      n.mount_bytes += size;
    } else {
      ++n.copy;
      n.copy_bytes += size;
      if (planned) planned->insert(b.digest);
    }
  }
  return n;
}

}  // namespace swr::replication
