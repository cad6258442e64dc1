#include "swr/hosts.h"

#include <array>
#include <cctype>

#include "common/url.h"

namespace swr {
namespace {

// Region names: lower-case letters and digits in dash-separated words ("eu-de", "ap-southeast-1").
bool IsRegion(std::string_view r) {
  if (r.size() < 2 || r.size() > 32 || r.front() == '-' || r.back() == '-') return false;
  char prev = 0;
  for (char c : r) {
    bool ok = std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

}  // namespace

std::optional<SwrHost> ParseSwrHost(std::string_view host_in) {
  static constexpr std::array<std::string_view, 4> kDomains = {"sc.otc.t-systems.com", "otc.t-systems.com",
                                                               "myhuaweicloud.com", "myhuaweicloud.eu"};
  std::string host = ToLower(host_in);
  SwrHost out;
  std::string_view rest = host;
  if (rest.rfind("swr.", 0) == 0) {
    rest.remove_prefix(4);
  } else if (rest.rfind("swr-api.", 0) == 0) {
    rest.remove_prefix(8);
    out.api = true;
  } else {
    return std::nullopt;
  }
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view region = rest.substr(0, dot), domain = rest.substr(dot + 1);
  if (!IsRegion(region)) return std::nullopt;
  for (std::string_view d : kDomains) {
    if (domain == d) {
      out.region = std::string(region);
      out.domain = std::string(d);
      return out;
    }
  }
  return std::nullopt;
}

bool IsSwrRegistryHost(std::string_view host_and_port) {
  std::string_view host = host_and_port;
  if (!host.empty() && host.front() != '[') {
    if (size_t colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  }
  auto parsed = ParseSwrHost(host);
  return parsed && !parsed->api;
}

}  // namespace swr
