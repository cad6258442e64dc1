#include "common/log.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/url.h"

namespace swr {
namespace {

constexpr std::string_view kMask = "[REDACTED]";

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool IsAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool IsSpace(char c) {
  return c == ' ' || c == '\t';
}
bool IsTokenChar(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
}

bool MatchesAt(std::string_view text, size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[pos + i]) != word[i]) return false;
  }
  return true;
}

// Calls on(pos) for every case-insensitive occurrence of `word` (lower case)
// that starts a word; `on` returns where to continue. O(n * |word|).
template <typename Fn>
void ForEachWord(std::string_view text, std::string_view word, Fn&& on) {
  size_t pos = 0;
  while (pos + word.size() <= text.size()) {
    if (MatchesAt(text, pos, word) && (pos == 0 || !(IsAlnum(text[pos - 1]) || text[pos - 1] == '-'))) {
      pos = on(pos);
    } else {
      ++pos;
    }
  }
}

// Builds the output from the input and a list of [begin, end) ranges to mask.
class Masker {
 public:
  explicit Masker(std::string_view text) : text_(text) {}
  void Mask(size_t begin, size_t end) {
    if (end <= begin || begin < done_) return;
    out_.append(text_.substr(done_, begin - done_));
    out_.append(kMask);
    done_ = end;
  }
  std::string Finish() {
    out_.append(text_.substr(done_));
    return std::move(out_);
  }

 private:
  std::string_view text_;
  std::string out_;
  size_t done_ = 0;
};

// "Authorization: ...", "x-auth-token=..." up to the end of the line.
std::string MaskHeaderValues(std::string_view text) {
  static constexpr std::array<std::string_view, 5> kNames = {"proxy-authorization", "authorization", "x-auth-token",
                                                             "x-security-token", "x-subject-token"};
  Masker m(text);
  size_t masked_to = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = pos + 1;
    for (std::string_view name : kNames) {
      if (pos < masked_to || !MatchesAt(text, pos, name)) continue;
      if (pos > 0 && (IsAlnum(text[pos - 1]) || text[pos - 1] == '-')) continue;
      size_t i = pos + name.size();
      while (i < text.size() && IsSpace(text[i])) ++i;
      if (i >= text.size() || (text[i] != ':' && text[i] != '=')) continue;
      ++i;
      while (i < text.size() && IsSpace(text[i])) ++i;
      size_t end = i;
      while (end < text.size() && text[end] != '\r' && text[end] != '\n') ++end;
      m.Mask(i, end);
      masked_to = end;
      next = end;
      break;
    }
    pos = next;
  }
  return m.Finish();
}

// "Bearer <token>", "Basic <credentials>" anywhere.
std::string MaskSchemeCredentials(std::string_view text) {
  struct Range {
    size_t b, e;
  };
  std::vector<Range> ranges;
  for (std::string_view scheme : {std::string_view("bearer"), std::string_view("basic")}) {
    ForEachWord(text, scheme, [&](size_t pos) {
      size_t i = pos + scheme.size();
      size_t ws = i;
      while (i < text.size() && IsSpace(text[i])) ++i;
      if (i == ws) return pos + 1;
      size_t end = i;
      while (end < text.size() && IsTokenChar(text[end])) ++end;
      // A challenge's parameters ("Bearer realm=") are not credentials.
      if (end > i && text[end - 1] == '=' && end < text.size() && text[end] == '"') return end;
      if (end > i) ranges.push_back({i, end});
      return std::max(end, pos + 1);
    });
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.b < b.b; });
  Masker m(text);
  for (const auto& r : ranges) m.Mask(r.b, r.e);
  return m.Finish();
}

// "token": "...", "password":"..." and friends (string values only).
std::string MaskJsonFields(std::string_view text) {
  static constexpr std::array<std::string_view, 9> kKeys = {"\"token\"",    "\"access_token\"",  "\"refresh_token\"",
                                                            "\"password\"", "\"secret\"",        "\"sk\"",
                                                            "\"auth\"",     "\"authorization\"", "\"secret_key\""};
  Masker m(text);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = pos + 1;
    if (text[pos] == '"') {
      for (std::string_view key : kKeys) {
        if (!MatchesAt(text, pos, key)) continue;
        size_t i = pos + key.size();
        while (i < text.size() && (IsSpace(text[i]) || text[i] == '\n' || text[i] == '\r')) ++i;
        if (i >= text.size() || text[i] != ':') break;
        ++i;
        while (i < text.size() && (IsSpace(text[i]) || text[i] == '\n' || text[i] == '\r')) ++i;
        if (i >= text.size() || text[i] != '"') break;
        size_t begin = ++i;
        while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
        size_t end = std::min(i, text.size());
        m.Mask(begin, end);
        next = end;
        break;
      }
    }
    pos = next;
  }
  return m.Finish();
}

// "-p <key>", "--password <key>", "--secret-key <key>" (command lines).
std::string MaskFlagValues(std::string_view text) {
  static constexpr std::array<std::string_view, 4> kFlags = {" -p ", " --password ", " --password=", " --secret-key "};
  Masker m(text);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t next = pos + 1;
    for (std::string_view flag : kFlags) {
      if (!MatchesAt(text, pos, flag)) continue;
      size_t i = pos + flag.size();
      while (i < text.size() && IsSpace(text[i])) ++i;
      size_t end = i;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
      m.Mask(i, end);
      next = std::max(end, pos + 1);
      break;
    }
    pos = next;
  }
  return m.Finish();
}

bool AllowedQueryKey(std::string_view raw_key) {
  static constexpr std::array<std::string_view, 19> kAllowed = {
      "n",     "last",   "digest",      "mount",    "from",         "service",    "scope",
      "limit", "offset", "namespace",   "filter",   "order_column", "order_type", "center",
      "tag",   "name",   "projectname", "category", "is_public"};
  std::string key = ToLower(PercentDecode(raw_key));
  for (std::string_view a : kAllowed) {
    if (key == a) return true;
  }
  return false;
}

bool EndsUrl(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
         c == '#';
}

// In every http(s) URL, the values of query parameters outside the allow-list.
std::string MaskUrlQueries(std::string_view text) {
  Masker m(text);
  size_t pos = 0;
  while (pos < text.size()) {
    bool url = MatchesAt(text, pos, "http://") || MatchesAt(text, pos, "https://");
    if (!url) {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < text.size() && !EndsUrl(text[end])) ++end;
    size_t q = text.find('?', pos);
    if (q != std::string_view::npos && q < end) {
      size_t i = q + 1;
      while (i < end) {
        size_t amp = i;
        while (amp < end && text[amp] != '&') ++amp;
        size_t eq = i;
        while (eq < amp && text[eq] != '=') ++eq;
        if (eq < amp && eq + 1 < amp && !AllowedQueryKey(text.substr(i, eq - i))) m.Mask(eq + 1, amp);
        i = amp + 1;
      }
    }
    pos = std::max(end, pos + 1);
  }
  return m.Finish();
}

}  // namespace

std::string RedactPatterns(std::string_view text) {
  std::string out = MaskHeaderValues(text);
  out = MaskSchemeCredentials(out);
  out = MaskJsonFields(out);
  out = MaskFlagValues(out);
  return MaskUrlQueries(out);
}

std::string StripControl(std::string_view text, bool keep_newlines) {
  std::string out(text);
  for (char& c : out) {
    unsigned char u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !(keep_newlines && c == '\n')) || u == 0x7f) c = ' ';
  }
  return out;
}

void Redactor::AddSecret(std::string_view secret) {
  if (secret.size() < 4) return;  // too short to scrub without mangling ordinary text
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& s : secrets_) {
    if (s == secret) return;
  }
  secrets_.emplace_back(secret);
}

void Redactor::AddToken(std::string_view token) {
  if (token.size() < 4) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& t : tokens_) {
    if (t == token) return;
  }
  if (tokens_.size() < kMaxTokens) {
    tokens_.emplace_back(token);
  } else {
    tokens_[next_token_] = std::string(token);
    next_token_ = (next_token_ + 1) % kMaxTokens;
  }
}

std::string Redactor::Redact(std::string_view text) const {
  std::string out(text);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto* list : {&secrets_, &tokens_}) {
      for (const auto& secret : *list) {
        for (size_t pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos)) {
          out.replace(pos, secret.size(), kMask);
          pos += kMask.size();
        }
      }
    }
  }
  return StripControl(RedactPatterns(out), true);
}

std::string Redactor::RedactLine(std::string_view text) const {
  std::string out = StripControl(Redact(text), false);
  if (out.size() > kMaxLine) {
    size_t cut = kMaxLine;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

void Logger::Log(LogLevel level, std::string_view message) const {
  if (!Enabled(level)) return;
  sink_(level, redactor_->Redact(message));
}

bool IsSensitiveHeader(std::string_view name) {
  static const char* kNames[] = {"authorization",    "proxy-authorization", "x-auth-token",
                                 "x-security-token", "x-subject-token",     "cookie",
                                 "set-cookie"};
  for (const char* n : kNames) {
    if (EqualsIgnoreCase(name, n)) return true;
  }
  return false;
}

}  // namespace swr
