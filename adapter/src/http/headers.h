// Parsers for the response headers the registry client reads: Link paging,
// upload Range, Content-Length. Each takes hostile input and never throws.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace swr::http {

// The target of the rel="next" link in a Link header value (RFC 8288:
// comma-separated "<uri>; param=value" entries), or "" when there is none.
std::string NextLink(std::string_view link);

// A non-negative decimal below 10^18 (sums of them cannot overflow), else -1.
int64_t ParseNonNegative(std::string_view text);

// The last byte position of an upload Range header ("0-1234" as distribution
// sends it, or "bytes=0-1234"), else -1.
int64_t ParseRangeEnd(std::string_view range);

}  // namespace swr::http
