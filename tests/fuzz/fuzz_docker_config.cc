// ~/.docker/config.json as users (and other tools) leave it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "registry/docker_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  for (const char* host : {"registry.example.com", "127.0.0.1:5000", "h"}) {
    (void)swr::registry::DockerConfigCredentials(text, host);
  }
  return 0;
}
