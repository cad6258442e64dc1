// Which repositories of one registry are known to hold a blob: what makes a
// cross-repository mount possible instead of an upload. A registry client
// owns one and feeds it itself (a blob seen, uploaded or mounted).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace swr::registry {

class MountIndex {
 public:
  void Add(const std::string& digest, const std::string& repo);
  // Repositories other than `except` known to hold `digest`, in name order.
  std::vector<std::string> Find(const std::string& digest, const std::string& except) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::set<std::string>> repos_;
};

}  // namespace swr::registry
