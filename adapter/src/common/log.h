// Logging through a caller-supplied sink, with secrets scrubbed before any
// text reaches the sink.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace swr {

enum class LogLevel { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3 };

// Knows the secrets of one handle (SK, login key, passwords, tokens) and
// removes them, and anything shaped like a credential, from text: header
// lines and "Bearer"/"Basic" credentials, JSON secret fields, "-p <key>", and
// the values of URL query parameters outside a short allow-list. Every pass
// is a linear scan: any input, however large or hostile, costs O(length)
// time and no recursion.
class Redactor {
 public:
  // A long-lived secret (SK, login key, password): kept for the handle's life.
  void AddSecret(std::string_view secret);
  // A short-lived one (a bearer token): the most recent kMaxTokens are kept.
  void AddToken(std::string_view token);

  // For log lines: secrets masked; control characters other than '\n'
  // become ' '.
  std::string Redact(std::string_view text) const;
  // For error messages and terminal output: as Redact(), on one line (every
  // control character becomes ' '), at most kMaxLine bytes.
  std::string RedactLine(std::string_view text) const;

  static constexpr size_t kMaxTokens = 256;
  static constexpr size_t kMaxLine = 4096;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> secrets_;
  std::vector<std::string> tokens_;  // a ring of the newest kMaxTokens
  size_t next_token_ = 0;
};

// Masks credential-shaped text only (no known secrets); the building block
// of Redactor, exposed for the fuzzer and for text with no handle at hand.
std::string RedactPatterns(std::string_view text);
// Every control character (and DEL) becomes ' ', except '\n' when `keep_newlines`.
std::string StripControl(std::string_view text, bool keep_newlines);

using LogSink = std::function<void(LogLevel, const std::string&)>;

class Logger {
 public:
  Logger() : redactor_(std::make_shared<Redactor>()) {}
  Logger(LogSink sink, LogLevel max_level, std::shared_ptr<Redactor> redactor)
      : sink_(std::move(sink)), max_level_(max_level), redactor_(std::move(redactor)) {}

  bool Enabled(LogLevel level) const { return sink_ && level <= max_level_; }
  void Log(LogLevel level, std::string_view message) const;
  Redactor& redactor() const { return *redactor_; }
  std::shared_ptr<Redactor> shared_redactor() const { return redactor_; }

 private:
  LogSink sink_;
  LogLevel max_level_ = LogLevel::kWarn;
  std::shared_ptr<Redactor> redactor_;
};

// Header names whose values are credentials and never logged.
bool IsSensitiveHeader(std::string_view name);

}  // namespace swr
