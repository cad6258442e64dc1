#include "registry/mount_index.h"

namespace swr::registry {

void MountIndex::Add(const std::string& digest, const std::string& repo) {
  std::lock_guard<std::mutex> lock(mu_);
  repos_[digest].insert(repo);
}

std::vector<std::string> MountIndex::Find(const std::string& digest, const std::string& except) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  auto it = repos_.find(digest);
  if (it == repos_.end()) return out;
  for (const auto& r : it->second) {
    if (r != except) out.push_back(r);
  }
  return out;
}

}  // namespace swr::registry
