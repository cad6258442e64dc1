#include "common/log.h"

#include <regex>

#include "common/url.h"

namespace swr {
namespace {

constexpr const char* kMask = "[REDACTED]";

const std::vector<std::pair<std::regex, std::string>>& Patterns() {
  static const auto* patterns = new std::vector<std::pair<std::regex, std::string>>{
      // Header lines: Authorization, Proxy-Authorization, X-Auth-Token, X-Security-Token.
      {std::regex(R"(((?:proxy-)?authorization|x-auth-token|x-security-token|x-subject-token)(\s*[:=]\s*)[^\r\n]*)",
                  std::regex::icase),
       "$1$2[REDACTED]"},
      // Credentials after a scheme word anywhere in a line.
      {std::regex(R"(\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+)", std::regex::icase), "$1 [REDACTED]"},
      // JSON token fields.
      {std::regex(R"#("(token|access_token|refresh_token|password|secret|sk)"\s*:\s*"[^"]*")#", std::regex::icase),
       "\"$1\":\"[REDACTED]\""},
      // docker login -p <key>
      {std::regex(R"((\s-p\s+)\S+)"), "$1[REDACTED]"},
  };
  return *patterns;
}

}  // namespace

void Redactor::AddSecret(std::string_view secret) {
  if (secret.size() < 4) return;  // too short to scrub without mangling ordinary text
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : secrets_) {
    if (s == secret) return;
  }
  secrets_.emplace_back(secret);
}

std::string Redactor::Redact(std::string_view text) const {
  std::string out(text);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& secret : secrets_) {
      for (size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos)) {
        out.replace(pos, secret.size(), kMask);
        pos += std::char_traits<char>::length(kMask);
      }
    }
  }
  for (const auto& [re, replacement] : Patterns()) out = std::regex_replace(out, re, replacement);
  return out;
}

void Logger::Log(LogLevel level, std::string_view message) const {
  if (!Enabled(level)) return;
  sink_(level, redactor_->Redact(message));
}

bool IsSensitiveHeader(std::string_view name) {
  static const char* kNames[] = {"authorization", "proxy-authorization", "x-auth-token",
                                 "x-security-token", "x-subject-token", "cookie", "set-cookie"};
  for (const char* n : kNames) {
    if (EqualsIgnoreCase(name, n)) return true;
  }
  return false;
}

}  // namespace swr
