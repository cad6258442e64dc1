#include "common/url.h"

#include <cctype>

namespace swr {
namespace {

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  std::string h = ToLower(host);
  if (h == "localhost" || h == "[::1]" || h == "::1") return true;
  // Dotted IPv4 with a first octet of 127.
  if (h.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (size_t i = 0; i < h.size(); ++i) {
    char c = h[i];
    if (c == '.') {
      if (i + 1 == h.size() || h[i + 1] == '.') return false;
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size()) {
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

std::string PercentEncode(std::string_view in) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() * 3);
  for (unsigned char c : in) {
    if (IsUnreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string EncodePathSegment(std::string_view in) {
  std::string out;
  size_t start = 0;
  for (size_t pos = in.find('$'); pos != std::string_view::npos; pos = in.find('$', start)) {
    out += PercentEncode(in.substr(start, pos - start));
    out.push_back('$');
    start = pos + 1;
  }
  out += PercentEncode(in.substr(start));
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos <= raw.size() && !raw.empty()) {
    size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view part = raw.substr(pos, amp - pos);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(PercentDecode(part), "");
      } else {
        out.emplace_back(PercentDecode(part.substr(0, eq)), PercentDecode(part.substr(eq + 1)));
      }
    }
    if (amp == raw.size()) break;
    pos = amp + 1;
  }
  return out;
}

std::string BuildQuery(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(k);
    out.push_back('=');
    out += PercentEncode(v);
  }
  return out;
}

StatusOr<Url> ParseUrl(std::string_view text) {
  Url url;
  std::string_view rest = text;
  size_t scheme_end = rest.find("://");
  if (scheme_end == std::string_view::npos) {
    url.scheme = "https";
  } else {
    url.scheme = ToLower(rest.substr(0, scheme_end));
    rest.remove_prefix(scheme_end + 3);
  }
  if (url.scheme != "http" && url.scheme != "https") {
    return Status(Code::kInvalidArgument, "unsupported URL scheme '" + url.scheme + "' (use http or https)");
  }
  if (rest.find('#') != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "URL must not contain a fragment");
  }
  size_t auth_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, auth_end);
  rest = auth_end == std::string_view::npos ? std::string_view() : rest.substr(auth_end);
  if (authority.find('@') != std::string_view::npos) {
    return Status(Code::kInvalidArgument, "URL must not contain user information");
  }
  if (authority.empty()) return Status(Code::kInvalidArgument, "URL has no host");
  size_t colon = std::string_view::npos;
  if (authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status(Code::kInvalidArgument, "bad IPv6 host in URL");
    url.host = std::string(authority.substr(0, close + 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Status(Code::kInvalidArgument, "bad host in URL");
      colon = close + 1;
    }
  } else {
    colon = authority.rfind(':');
    url.host = ToLower(authority.substr(0, colon));
  }
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5) return Status(Code::kInvalidArgument, "bad port in URL");
    int p = 0;
    for (char c : port) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return Status(Code::kInvalidArgument, "bad port in URL");
      p = p * 10 + (c - '0');
    }
    if (p <= 0 || p > 65535) return Status(Code::kInvalidArgument, "port out of range in URL");
    url.port = p;
  }
  if (url.host.empty()) return Status(Code::kInvalidArgument, "URL has no host");
  size_t q = rest.find('?');
  url.path = std::string(rest.substr(0, q));
  if (q != std::string_view::npos) url.query = std::string(rest.substr(q + 1));
  return url;
}

std::string Url::Authority() const {
  return port ? host + ":" + std::to_string(port) : host;
}

std::string Url::Origin() const {
  return scheme + "://" + Authority();
}

std::string Url::ToString() const {
  std::string out = Origin() + path;
  if (!query.empty()) out += "?" + query;
  return out;
}

int Url::EffectivePort() const {
  if (port) return port;
  return scheme == "https" ? 443 : 80;
}

}  // namespace swr
