// Time as a dependency: the signer's X-Sdk-Date and the retry loop's sleeps
// come from here so tests can fix and fast-forward time.
#pragma once

#include <chrono>
#include <memory>

namespace swr {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  virtual void SleepFor(std::chrono::milliseconds d) = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override;
  void SleepFor(std::chrono::milliseconds d) override;
};

std::shared_ptr<Clock> DefaultClock();

// "20191115T033655Z"
std::string FormatSdkDate(std::chrono::system_clock::time_point t);
// Parses the same layout; false on bad input.
bool ParseSdkDate(const std::string& text, std::chrono::system_clock::time_point* out);

}  // namespace swr
