// Base64 (RFC 4648) for HTTP Basic credentials and docker config files.
#pragma once

#include <string>
#include <string_view>

namespace swr {

std::string Base64Encode(std::string_view in);
// Accepts the standard and the URL-safe alphabet, with or without padding;
// false on any other character.
bool Base64Decode(std::string_view in, std::string* out);

}  // namespace swr
