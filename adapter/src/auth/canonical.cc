#include "auth/canonical.h"

#include <algorithm>

#include "common/url.h"

namespace swr {

std::string CanonicalUri(std::string_view raw_path) {
  std::string decoded = PercentDecode(raw_path);
  std::string out;
  size_t start = 0;
  // Splitting keeps empty segments: "//" is preserved, as the SDKs do.
  while (true) {
    size_t slash = decoded.find('/', start);
    std::string_view segment =
        std::string_view(decoded).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    out += PercentEncode(segment);
    if (slash == std::string::npos) break;
    out.push_back('/');
    start = slash + 1;
  }
  if (out.empty() || out.front() != '/') out.insert(out.begin(), '/');
  if (out.back() != '/') out.push_back('/');
  return out;
}

std::string CanonicalQueryFromPairs(std::vector<std::pair<std::string, std::string>> params) {
  std::sort(params.begin(), params.end());
  return BuildQuery(params);
}

std::string CanonicalQuery(std::string_view raw_query) {
  return CanonicalQueryFromPairs(ParseQuery(raw_query));
}

std::string CanonicalHeaders(const HeaderList& headers, const std::vector<std::string>& signed_names) {
  std::string out;
  for (const auto& name : signed_names) {
    for (const auto& [k, v] : headers) {
      if (EqualsIgnoreCase(k, name)) {
        out += name;
        out.push_back(':');
        out += Trim(v);
        out.push_back('\n');
        break;
      }
    }
  }
  return out;
}

std::string CanonicalRequest(std::string_view method, std::string_view canonical_uri, std::string_view canonical_query,
                             std::string_view canonical_headers, std::string_view signed_headers,
                             std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() + canonical_headers.size() +
              signed_headers.size() + payload_hash.size() + 8);
  out.append(method).append("\n");
  out.append(canonical_uri).append("\n");
  out.append(canonical_query).append("\n");
  out.append(canonical_headers).append("\n");
  out.append(signed_headers).append("\n");
  out.append(payload_hash);
  return out;
}

}  // namespace swr
