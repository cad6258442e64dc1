// SHA-256 and HMAC-SHA256 over OpenSSL.
#pragma once

#include <string>
#include <string_view>

namespace swr {

std::string Sha256Hex(std::string_view data);
// "sha256:<hex>" or, for algorithm "sha512", "sha512:<hex>" (OCI digests).
std::string ContentDigest(std::string_view algorithm, std::string_view data);
// Raw 32-byte HMAC-SHA256.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string HexEncode(std::string_view bytes);  // lower case

}  // namespace swr
