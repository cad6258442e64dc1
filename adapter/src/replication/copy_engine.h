// Copies one image (a manifest, a manifest list or an OCI index, with every
// blob) from a source registry to a destination registry: blobs the
// destination has are skipped, blobs it holds in another repository are
// mounted, the rest stream through a bounded pipe; manifests go last, only
// once everything they reference is present.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "registry/registry_client.h"
#include "replication/manifest_rewrite.h"
#include "replication/transfer_gate.h"

namespace swr::replication {

enum class BlobOutcome { kExisting, kMounted, kCopied };

struct BlobEvent {
  std::string digest;
  int64_t size = 0;
  BlobOutcome outcome = BlobOutcome::kCopied;
};

struct CopyProgress {
  int64_t bytes_done = 0;   // bytes of blobs present at the destination (any way)
  int64_t bytes_total = 0;  // bytes of all blobs of the image
  int blobs_done = 0;
  int blobs_total = 0;
};

struct CopyOptions {
  int parallel_blobs = 4;                        // blobs of one image in flight at once
  int blob_attempts = 3;                         // tries per blob on network, 5xx, 429 and timeout failures
  std::chrono::milliseconds retry_backoff{500};  // before the 2nd try; doubles after
  int64_t chunk_size = 0;  // 0: one streamed PUT per blob; > 0: PATCH chunks of this size, resumable
  // The destination registry checks every blob against its digest when the
  // upload completes (and refuses it otherwise), so hashing on our side as
  // well only costs CPU; set this to do it anyway.
  bool verify_downloads = false;
  // The whole copy fails with kTimeout past this point (also mid-blob).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // A blob transfer fails with kTimeout when it moves fewer bytes per second
  // than this over the transport's timeout window, on the side that is slow
  // (time one side waits for the other does not count). 0: only a stall.
  int64_t min_bytes_per_second = 0;
  // Called once, after the source's manifest was read and before the first
  // request to the destination (e.g. to create the SWR organization only
  // for a copy that can start); an error ends the copy with it.
  std::function<Status()> before_destination;
  // Shared by copies into one destination registry (one run of swrctl
  // sync): no blob is uploaded twice at once, and blob transfers across the
  // copies are bounded. Null: this copy alone.
  std::shared_ptr<TransferGate> gate;
  // Copy even when the destination has the image's digest under the
  // target: every blob is checked (and copied where missing) and every
  // manifest pushed again (a tag repaired, a registry's index rebuilt).
  bool force = false;
  // Platforms to keep and format conversions (the image then has new
  // digests, and CopyResult::rewritten says so).
  RewritePolicy rewrite;
  // Cancels the copy from any thread (kCancelled).
  std::shared_ptr<CancelToken> cancel;
  // Both are called serialised (never two at once), from the engine's
  // threads, with no lock of the engine held. on_progress returns false to
  // stop the copy (it then fails with kCallbackAborted).
  std::function<bool(const CopyProgress&)> on_progress;
  std::function<void(const BlobEvent&)> on_blob;
};

struct CopyResult {
  std::string digest;  // of the top-level manifest, the same at both ends
  std::string media_type;
  bool already_present = false;  // the destination had this digest under the tag
  bool rewritten = false;        // filtered or converted: digest differs from the source's
  int64_t bytes_copied = 0;
  int blobs_copied = 0;
  int blobs_mounted = 0;
  int blobs_existing = 0;
  int manifests_pushed = 0;
};

// What a copy would do (CopyEngine::Plan): the image as it would be pushed.
struct CopyPlan {
  std::string digest, media_type;  // of the top manifest, after any rewrite
  std::string target;              // the tag or digest it would be pushed under
  bool rewritten = false;
  bool already_present = false;             // the destination has it: nothing below is filled (unless forced)
  std::vector<registry::Descriptor> blobs;  // every blob of the image, once, children's included
  int manifests = 0;                        // manifests it would push (children and the top)
};

// How a plan's blobs would reach the destination repository.
struct PlanCounts {
  int copy = 0, mount = 0, existing = 0;
  int64_t copy_bytes = 0, mount_bytes = 0, existing_bytes = 0;
};

// Asks the destination (HEAD) about each blob of `plan`: there already, to
// be mounted from another repository it holds, or to be copied. `planned`
// (may be null) holds the digests earlier plans of the same run would
// upload to this registry: those count as mounts, and this plan's copies
// are added to it.
PlanCounts ClassifyPlanBlobs(const CopyPlan& plan, registry::RegistryClient& dst, const std::string& dst_repo,
                             std::set<std::string>* planned, const CallContext& ctx = {});

// Stateless: what a copy learns about the destination (which repositories
// hold which blobs, for mounts) lives in the destination's RegistryClient,
// so every copy through one client shares it.
class CopyEngine {
 public:
  // `dst_ref` empty: the source's tag, or its digest when copied by digest.
  StatusOr<CopyResult> Copy(registry::RegistryClient& src, const std::string& src_repo, const std::string& src_ref,
                            registry::RegistryClient& dst, const std::string& dst_repo, const std::string& dst_ref,
                            const CopyOptions& options);
  // The no-op check: one HEAD at each end. The digest when the destination
  // has the source's manifest under `dst_ref` (the source's digest when
  // empty); nullopt when it has not, when either end cannot say, or when
  // `options` force a copy or rewrite the image (its digests then differ:
  // Copy compares what it would push).
  std::optional<std::string> UpToDate(registry::RegistryClient& src, const std::string& src_repo,
                                      const std::string& src_ref, registry::RegistryClient& dst,
                                      const std::string& dst_repo, const std::string& dst_ref,
                                      const CopyOptions& options);
  // What Copy would do with the same arguments: the source is read and
  // rewritten, the destination only asked (HEAD); nothing is written and
  // before_destination is not called. A rewrite that would fail fails here.
  StatusOr<CopyPlan> Plan(registry::RegistryClient& src, const std::string& src_repo, const std::string& src_ref,
                          registry::RegistryClient& dst, const std::string& dst_repo, const std::string& dst_ref,
                          const CopyOptions& options);
};

}  // namespace swr::replication
