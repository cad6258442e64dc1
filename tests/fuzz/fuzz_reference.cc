// Image references and SWR host names as users type them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "registry/reference.h"
#include "swr/hosts.h"
#include "swr/management_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto r = swr::registry::ParseImageReference(text);
  if (r.ok()) {
    (void)r->ToString();
    if (!swr::registry::IsValidRepository(r->repository)) __builtin_trap();
  }
  (void)swr::registry::IsDigest(text);
  (void)swr::registry::IsValidReference(text);
  (void)swr::ParseSwrHost(text);
  (void)swr::IsSwrRegistryHost(text);
  (void)swr::ValidateOrganizationName(text);
  return 0;
}
