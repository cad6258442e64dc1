// URLs and queries: from users, Location and Link headers, token realms.
#include <cstddef>
#include <cstdint>
#include <string>

#include "auth/canonical.h"
#include "common/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto u = swr::ParseUrl(text);
  if (u.ok()) {
    (void)u->ToString();
    (void)u->EffectivePort();
    (void)swr::CanonicalUri(u->path);
    (void)swr::CanonicalQuery(u->query);
    (void)swr::IsLoopbackHost(u->host);
  }
  auto params = swr::ParseQuery(text);
  (void)swr::BuildQuery(params);
  (void)swr::PercentDecode(text);
  (void)swr::EncodePathSegment(text);
  return 0;
}
