// A small URL model: enough for signing and for routing requests, with no
// dependency on the HTTP library.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace swr {

// HTTP headers in the order they are sent; names compare case-insensitively.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Url {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // without port; IPv6 literals keep their brackets
  int port = 0;        // 0 when the URL gives none
  std::string path;    // raw (still percent-encoded), "" or starting with '/'
  std::string query;   // raw, without '?'

  // host[:port] as it goes into the Host header (port only when given).
  std::string Authority() const;
  // scheme://host[:port]
  std::string Origin() const;
  // Origin() + path + ("?" + query when non-empty)
  std::string ToString() const;
  int EffectivePort() const;
};

// Parses scheme://host[:port][/path][?query]; a URL without a scheme is
// taken as https. Fragments and user info are rejected.
StatusOr<Url> ParseUrl(std::string_view text);

std::string PercentDecode(std::string_view in);
// Escapes every byte outside A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex).
std::string PercentEncode(std::string_view in);

// Escapes one path segment: like PercentEncode, but keeps '$' (SWR's
// stand-in for '/' in repository names) as it is.
std::string EncodePathSegment(std::string_view in);

// Splits a raw query into decoded (key, value) pairs; '+' stays '+'.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view raw);
// Builds a raw query from pairs, escaping keys and values.
std::string BuildQuery(const std::vector<std::pair<std::string, std::string>>& params);

// "localhost", 127.0.0.0/8 and [::1]: hosts where plain HTTP never leaves the machine.
bool IsLoopbackHost(std::string_view host);

std::string ToLower(std::string_view s);
std::string Trim(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace swr
