#include "http/headers.h"

#include "common/url.h"

namespace swr::http {

std::string NextLink(std::string_view link) {
  size_t pos = 0;
  while (pos < link.size()) {
    size_t lt = link.find('<', pos);
    if (lt == std::string_view::npos) return "";
    size_t gt = link.find('>', lt);
    if (gt == std::string_view::npos) return "";
    // The parameters run to the next "<" that starts another entry.
    size_t end = link.find(",", gt);
    while (end != std::string_view::npos) {
      size_t next = end + 1;
      while (next < link.size() && (link[next] == ' ' || link[next] == '\t')) ++next;
      if (next >= link.size() || link[next] == '<') break;
      end = link.find(',', next);
    }
    std::string params = ToLower(link.substr(gt + 1, (end == std::string_view::npos ? link.size() : end) - gt - 1));
    for (std::string_view rel : {"rel=\"next\"", "rel=next", "rel=\"next "}) {
      if (params.find(rel) != std::string::npos) return std::string(link.substr(lt + 1, gt - lt - 1));
    }
    if (end == std::string_view::npos) return "";
    pos = end + 1;
  }
  return "";
}

int64_t ParseNonNegative(std::string_view text) {
  std::string t = Trim(text);
  if (t.empty() || t.size() > 18) return -1;
  int64_t n = 0;
  for (char c : t) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

int64_t ParseRangeEnd(std::string_view range) {
  size_t dash = range.rfind('-');
  if (dash == std::string_view::npos) return -1;
  return ParseNonNegative(range.substr(dash + 1));
}

}  // namespace swr::http
