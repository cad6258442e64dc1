// What one run of swrctl sync works on: its registries (endpoints) and its
// images with their outcomes. Shared by the command, the view and the report.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "registry/registry_client.h"
#include "replication/transfer_gate.h"
#include "swr/client.h"

namespace swrctl {

// One registry (host, and the auth entry that applies) as the run uses it.
struct Endpoint {
  std::string key;   // auth key or host
  std::string host;  // host[:port]
  bool swr = false;
  std::unique_ptr<swr::Client> swr_client;  // SWR: also organizations
  std::shared_ptr<swr::registry::RegistryClient> registry;
  std::shared_ptr<swr::replication::TransferGate> gate;
};

enum class Outcome { kPending, kCopied, kSkipped, kFailed, kCancelled };

inline const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kCopied:
      return "copied";
    case Outcome::kSkipped:
      return "skipped";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kCancelled:
      return "cancelled";
    default:
      return "pending";
  }
}

struct Image {
  std::string source, destination;  // full references as written in the report
  Endpoint* src = nullptr;
  Endpoint* dst = nullptr;
  std::string src_repo, src_ref, dst_repo, dst_tag;
  std::string where;  // the rule's file:line
  // Results.
  Outcome outcome = Outcome::kPending;
  std::string digest, error;
  int64_t bytes = 0;
  int blobs_copied = 0, blobs_mounted = 0, blobs_existing = 0;
  double seconds = 0;
  int attempts = 0;
  bool rewritten = false;  // filtered or converted: the digest is not the source's
};

}  // namespace swrctl
