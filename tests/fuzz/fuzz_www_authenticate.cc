// WWW-Authenticate challenges from registries.
#include <cstddef>
#include <cstdint>
#include <string>

#include "registry/auth.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const auto& c : swr::registry::ParseWwwAuthenticate(text)) {
    (void)c.scheme.size();
    for (const auto& [k, v] : c.params) (void)(k.size() + v.size());
  }
  return 0;
}
