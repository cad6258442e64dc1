// Rewrites of an image on its way to the destination, for registries that do
// not take it as it is (SWR refuses OCI image indexes) and for users who want
// some platforms only: a list or index filtered to chosen platforms, and OCI
// manifests and indexes turned into Docker schema 2 manifests and manifest
// lists where that loses nothing. A rewritten image has new digests.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "registry/registry_client.h"

namespace swr::replication {

struct RewritePolicy {
  std::vector<std::string> os;    // keep list entries for these systems (empty: any)
  std::vector<std::string> arch;  // and these architectures (empty: any)
  bool oci_to_docker = false;
  bool filters() const { return !os.empty() || !arch.empty(); }
  bool active() const { return filters() || oci_to_docker; }
};

// True when the list/index entry's platform is wanted.
bool PlatformWanted(const RewritePolicy& policy, const std::string& os, const std::string& arch);

// An OCI image manifest as a Docker schema 2 manifest (new body, digest,
// media type); kUnsupported when the conversion would lose something
// (annotations, a subject, an artifact type, layers Docker has no type for).
// Any other manifest comes back unchanged.
StatusOr<registry::Manifest> ConvertManifest(const registry::Manifest& m, const RewritePolicy& policy);

// The entries of a list or index: digest, media type, os, architecture.
struct ListEntry {
  std::string digest, media_type, os, arch;
  int64_t size = 0;
};
StatusOr<std::vector<ListEntry>> ListEntries(const registry::Manifest& list);

// A list or index with only the entries whose digests are in `keep` (in
// its order), each replaced by `replacement` when it was rewritten, and,
// with oci_to_docker, as a Docker manifest list. kUnsupported when the
// conversion would lose something; kInvalidArgument when nothing is kept.
StatusOr<registry::Manifest> RewriteList(const registry::Manifest& list, const std::vector<std::string>& keep,
                                         const std::vector<registry::Manifest>& replacement,
                                         const RewritePolicy& policy);

registry::Manifest ManifestFromBody(std::string body, std::string media_type);

}  // namespace swr::replication
