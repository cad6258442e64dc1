// In-process fakes for unit tests of logic above the transport (retry
// policy, paging). The real transport is exercised against the emulator in
// the integration tests.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "common/clock.h"
#include "http/transport.h"

namespace swr::testing {

class FakeClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return now_; }
  void SleepFor(std::chrono::milliseconds d) override {
    sleeps.push_back(d);
    now_ += d;
  }
  std::vector<std::chrono::milliseconds> sleeps;

 private:
  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::from_time_t(1700000000);
};

class ScriptedTransport : public http::Transport {
 public:
  using Handler = std::function<StatusOr<http::Response>(const http::Request&)>;
  explicit ScriptedTransport(Handler h) : handler_(std::move(h)) {}
  StatusOr<http::Response> Send(const http::Request& r) override {
    requests.push_back(r);
    return handler_(r);
  }
  StatusOr<http::Response> SendStreaming(const http::Request&, std::shared_ptr<http::BodyPipe>, int64_t,
                                         std::shared_ptr<http::BodyPipe>) override {
    return Status(Code::kUnsupported, "the scripted transport does not stream");
  }
  std::vector<http::Request> requests;

 private:
  Handler handler_;
};

inline http::Response MakeResponse(int status, std::string body = "", HeaderList headers = {}) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

}  // namespace swr::testing
