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

// Knows the secrets of one client (SK, login key, tokens) and removes them,
// and anything shaped like a credential, from text.
class Redactor {
 public:
  void AddSecret(std::string_view secret);
  std::string Redact(std::string_view text) const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> secrets_;
};

using LogSink = std::function<void(LogLevel, const std::string&)>;

class Logger {
 public:
  Logger() : redactor_(std::make_shared<Redactor>()) {}
  Logger(LogSink sink, LogLevel max_level, std::shared_ptr<Redactor> redactor)
      : sink_(std::move(sink)), max_level_(max_level), redactor_(std::move(redactor)) {}

  bool Enabled(LogLevel level) const { return sink_ && level <= max_level_; }
  void Log(LogLevel level, std::string_view message) const;
  Redactor& redactor() const { return *redactor_; }

 private:
  LogSink sink_;
  LogLevel max_level_ = LogLevel::kWarn;
  std::shared_ptr<Redactor> redactor_;
};

// Header names whose values are credentials and never logged.
bool IsSensitiveHeader(std::string_view name);

}  // namespace swr
