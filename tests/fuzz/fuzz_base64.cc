// Base64 in docker configs and Basic credentials.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string decoded;
  (void)swr::Base64Decode(text, &decoded);
  std::string round;
  if (!swr::Base64Decode(swr::Base64Encode(text), &round) || round != text) __builtin_trap();
  return 0;
}
