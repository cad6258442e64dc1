// The canonical request of SDK-HMAC-SHA256, as pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/url.h"

namespace swr {

// Percent-decodes the path, splits it on '/', escapes each segment with the
// unreserved set and guarantees a trailing '/'. "" becomes "/".
std::string CanonicalUri(std::string_view raw_path);

// Sorted by key, then by value; "key=" for empty values; "" for no query.
std::string CanonicalQuery(std::string_view raw_query);
std::string CanonicalQueryFromPairs(std::vector<std::pair<std::string, std::string>> params);

// "name:value\n" for each signed header (lower-case names, trimmed values),
// in sorted order. `signed_names` must be lower case and sorted.
std::string CanonicalHeaders(const HeaderList& headers, const std::vector<std::string>& signed_names);

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri, std::string_view canonical_query,
                             std::string_view canonical_headers, std::string_view signed_headers,
                             std::string_view payload_hash);

}  // namespace swr
