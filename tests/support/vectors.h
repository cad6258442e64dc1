// The published AK/SK vectors (tests/testdata/aksk-vectors.json).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace swr::testing {

struct SigningVector {
  std::string id, format, ak, sk, method, url, body, region, service, canonical_request, authorization;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> signed_headers;
};

struct LoginKeyVector {
  std::string ak, sk, login_key;
};

std::vector<SigningVector> LoadSigningVectors();
std::vector<LoginKeyVector> LoadLoginKeyVectors();
// (params, canonical)
std::pair<std::vector<std::pair<std::string, std::string>>, std::string> LoadCanonicalQueryVector();

}  // namespace swr::testing
