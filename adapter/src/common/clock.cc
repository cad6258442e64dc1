#include "common/clock.h"

#include <ctime>
#include <string>
#include <thread>

namespace swr {

std::chrono::system_clock::time_point SystemClock::Now() const {
  return std::chrono::system_clock::now();
}

void SystemClock::SleepFor(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
}

std::shared_ptr<Clock> DefaultClock() {
  static std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
  return clock;
}

std::string FormatSdkDate(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

bool ParseSdkDate(const std::string& text, std::chrono::system_clock::time_point* out) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return false;
  for (size_t i : {0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  std::tm tm{};
  tm.tm_year = std::stoi(text.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(text.substr(4, 2)) - 1;
  tm.tm_mday = std::stoi(text.substr(6, 2));
  tm.tm_hour = std::stoi(text.substr(9, 2));
  tm.tm_min = std::stoi(text.substr(11, 2));
  tm.tm_sec = std::stoi(text.substr(13, 2));
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return false;
  // Within what the clock can hold (it counts nanoseconds from 1970 in 64 bits).
  if (tm.tm_year < 70 || tm.tm_year > 2200 - 1900) return false;
  *out = std::chrono::system_clock::from_time_t(timegm(&tm));
  return true;
}

}  // namespace swr
