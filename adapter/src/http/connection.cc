#include "http/connection.h"

namespace swr::http {

std::string DefaultUserAgent() {
  return std::string("otc-swr-adapter/") + SWR_LIBRARY_VERSION;
}

Logger LoggerFor(const ConnectionOptions& o) {
  return Logger(o.log_sink, o.log_level, o.redactor ? o.redactor : std::make_shared<Redactor>());
}

std::shared_ptr<Transport> MakeTransport(const ConnectionOptions& options, const Logger& logger,
                                         std::shared_ptr<Transport> base) {
  std::shared_ptr<Transport> t = base ? std::move(base) : NewHttpTransport(options, logger);
  if (options.host_limits.enabled()) {
    auto limiter = options.limit_group.empty() ? std::make_shared<HostLimiter>(options.host_limits, logger)
                                               : HostLimiter::Shared(options.limit_group, options.host_limits, logger);
    t = std::make_shared<LimitingTransport>(t, std::move(limiter));
  }
  return std::make_shared<RetryingTransport>(t, options.retry, options.clock, logger);
}

Status CheckPlainHttp(const Url& url, bool allowed, std::string_view what) {
  if (url.scheme != "http" || allowed || IsLoopbackHost(url.host)) return OkStatus();
  return Status(Code::kInvalidArgument,
                std::string(what) + " uses plain http:// to " + url.host +
                    ": credentials and images would cross the network unencrypted; use https:// or allow plain HTTP "
                    "explicitly");
}

}  // namespace swr::http
