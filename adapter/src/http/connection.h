// What every connection to a registry or API host is made of, with its
// defaults in one place: TLS, timeouts, retries, host limits, proxy, user
// agent, stream buffers and logging. The SWR client, any registry client,
// the C ABI (swr_connection_options), the Go binding (ConnectionOptions) and
// swrctl (cli/endpoint.cc) all carry this one struct.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "common/url.h"
#include "http/body_pipe.h"
#include "http/host_limits.h"
#include "http/retry.h"
#include "http/transport.h"

namespace swr::http {

// A blob transfer slower than this over the timeout window fails (copies).
inline constexpr int64_t kDefaultMinBytesPerSecond = 64 << 10;
inline constexpr std::chrono::milliseconds kDefaultTimeout = std::chrono::seconds(60);
// SWR allows about 20 requests per second per tenant (503 beyond; SWR's FAQ
// on image pushes).
inline constexpr double kSwrRequestsPerSecond = 20;

struct ConnectionOptions {
  bool insecure = false;                  // skip TLS certificate verification
  bool allow_plain_http = false;          // http:// to a host other than this machine
  bool allow_insecure_redirects = false;  // follow https -> http blob redirects
  std::string ca_pem;                     // extra trusted CA certificates (PEM)
  // Buffered requests: the whole exchange. Streamed bodies: the window in
  // which some progress must be made (see Request::min_bytes_per_second).
  std::chrono::milliseconds timeout = kDefaultTimeout;
  RetryPolicy retry;
  // Request rate and concurrency (default: none; an SWR client on an SWR
  // host: kSwrRequestsPerSecond; a negative rate: none, explicitly).
  HostLimits host_limits;
  // Connections of one process that name the same group share one limiter
  // (an SWR client names its tenant: registry host and project); empty: a
  // limiter of its own.
  std::string limit_group;
  std::string user_agent;  // empty: DefaultUserAgent()
  // "http://proxy:3128", "socks5h://...": every request goes through it.
  // Empty: libcurl's environment rules (https_proxy, HTTPS_PROXY, http_proxy,
  // NO_PROXY; never upper-case HTTP_PROXY).
  std::string proxy;
  size_t pipe_capacity = BodyPipe::kDefaultCapacity;  // memory per blob stream
  LogSink log_sink;
  LogLevel log_level = LogLevel::kWarn;
  std::shared_ptr<Redactor> redactor;  // shared with other connections of one run; null: a new one
  std::shared_ptr<Clock> clock = DefaultClock();
};

// "otc-swr-adapter/<version>".
std::string DefaultUserAgent();

// The logger of a connection: its sink, level and redactor.
Logger LoggerFor(const ConnectionOptions& options);

// libcurl with these options.
std::shared_ptr<Transport> NewHttpTransport(const ConnectionOptions& options, const Logger& logger);

// The stack a connection's clients share: `base` (libcurl when null), the
// host limits when set, retries.
std::shared_ptr<Transport> MakeTransport(const ConnectionOptions& options, const Logger& logger,
                                         std::shared_ptr<Transport> base = nullptr);

// kInvalidArgument for http:// to a non-loopback host unless `allowed`.
Status CheckPlainHttp(const Url& url, bool allowed, std::string_view what);

}  // namespace swr::http
