// Manifests, lists and indexes from registries (the first byte picks the
// Content-Type the registry claims).
#include <cstddef>
#include <cstdint>
#include <string>

#include "registry/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kTypes[] = {"",
                                 swr::registry::kDockerManifest,
                                 swr::registry::kDockerManifestList,
                                 swr::registry::kOciManifest,
                                 swr::registry::kOciIndex,
                                 "application/json"};
  const char* type = kTypes[data[0] % 6];
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto m = swr::registry::ParseManifest(type, body);
  if (m.ok()) {
    for (const auto& d : m->blobs) {
      if (!swr::registry::IsDigest(d.digest)) __builtin_trap();
      if (d.size > swr::registry::kMaxDescriptorSize) __builtin_trap();
    }
    for (const auto& d : m->manifests) {
      if (!swr::registry::IsDigest(d.digest)) __builtin_trap();
    }
  }
  return 0;
}
