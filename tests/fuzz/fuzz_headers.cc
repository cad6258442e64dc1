// Response headers: Content-Range (SWR paging), Link, upload Range,
// Content-Length, Retry-After.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/headers.h"
#include "http/retry.h"
#include "swr/management_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)swr::ParseContentRange(text);
  (void)swr::http::NextLink(text);
  int64_t end = swr::http::ParseRangeEnd(text);
  int64_t n = swr::http::ParseNonNegative(text);
  if (end < -1 || n < -1) __builtin_trap();
  auto wait = swr::http::ParseRetryAfter(text, std::chrono::system_clock::from_time_t(1700000000));
  if (wait && wait->count() < 0) __builtin_trap();
  return 0;
}
