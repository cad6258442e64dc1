// The HTTP transport interface the rest of the core sees. libcurl lives
// behind it (curl_transport.cc); the retry loop decorates it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/cancel.h"
#include "common/log.h"
#include "common/status.h"
#include "common/url.h"

namespace swr::http {

struct Request {
  std::string method = "GET";
  std::string url;
  HeaderList headers;
  std::string body;
  // Whether a retry after a failure is safe. Unset: GET, HEAD, PUT, DELETE
  // and OPTIONS are idempotent, POST and PATCH are not.
  std::optional<bool> idempotent;
  // A buffered response body longer than this fails the request (kProtocol)
  // as soon as the limit is crossed; nothing larger is ever held.
  size_t max_response_bytes = kDefaultMaxResponseBytes;
  // The request fails with kTimeout when it is not complete by then (also
  // while a streamed body still flows).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Streamed bodies only: fail with kTimeout when fewer than this many bytes
  // per second move, averaged over the transport's timeout window. Time spent
  // waiting for the other end of a BodyPipe does not count. 0: only a full
  // stall (no byte for the whole window) fails.
  int64_t min_bytes_per_second = 0;
  // Cancels the request promptly (kCancelled) from any thread.
  std::shared_ptr<CancelToken> cancel;

  static constexpr size_t kDefaultMaxResponseBytes = 1 << 20;

  bool IsIdempotent() const;
  void SetHeader(std::string_view name, std::string value);
};

struct Response {
  int status = 0;
  HeaderList headers;
  std::string body;

  // The first header of that name (case-insensitive), or nullptr.
  const std::string* Header(std::string_view name) const;
  bool ok() const { return status >= 200 && status < 300; }
};

class BodyPipe;

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request. A Status error means no HTTP response arrived
  // (connection, TLS, timeout); any HTTP status is a Response.
  virtual StatusOr<Response> Send(const Request& request) = 0;

  // Sends one request with streamed bodies and returns once the response
  // headers are in. `body` (may be null: request.body is sent) supplies the
  // request body, `body_length` bytes of it (-1: chunked transfer encoding).
  // `sink` (may be null: the response body is buffered in Response::body)
  // receives the response body as it arrives and is closed at its end, or
  // aborted with the failure. Never retried: a streamed body cannot be replayed.
  virtual StatusOr<Response> SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body, int64_t body_length,
                                           std::shared_ptr<BodyPipe> sink) = 0;
};

// libcurl behind this interface: NewHttpTransport in http/connection.h.

// What the C ABI appends to errors of reason kTls (swrctl names its own
// flags instead).
inline constexpr const char* kTlsHint = " (TLS: give the CA with a CA bundle, or set insecure to skip verification)";

// The one place where an HTTP status becomes a Code.
Code CodeForHttpStatus(int status);

}  // namespace swr::http
