// swr_connection_options -> http::ConnectionOptions: the one conversion
// every handle's creation uses.
#include <algorithm>

#include "capi/capi_internal.h"

namespace swr::capi {

void InitConnection(swr_connection_options* c) {
  *c = swr_connection_options{};
  c->log_level = SWR_LOG_WARN;
}

int ConnectionFromC(const swr_connection_options& in, const char* function, http::ConnectionOptions* out,
                    swr_error** err) {
  if (in.buffer_bytes > (size_t(1) << 30)) {
    return SetError(err, SWR_EINVALID, std::string(function) + ": connection.buffer_bytes must be at most 1 GiB");
  }
  out->insecure = in.insecure != 0;
  out->allow_plain_http = in.allow_plain_http != 0;
  out->allow_insecure_redirects = in.allow_insecure_redirects != 0;
  out->ca_pem = in.ca_pem ? in.ca_pem : "";
  if (in.timeout_ms) out->timeout = std::chrono::milliseconds(in.timeout_ms);
  if (in.max_attempts) out->retry.max_attempts = static_cast<int>(std::min(in.max_attempts, 20u));
  out->user_agent = in.user_agent ? in.user_agent : "";
  out->proxy = in.proxy ? in.proxy : "";
  if (in.buffer_bytes) out->pipe_capacity = in.buffer_bytes;
  if (in.requests_per_second != in.requests_per_second || in.requests_per_second > 100000) {  // NaN, absurd
    return SetError(err, SWR_EINVALID, std::string(function) + ": connection.requests_per_second is out of range");
  }
  out->host_limits.requests_per_second = in.requests_per_second;
  if (in.log_cb) {
    out->log_sink = CLogSink(in.log_cb, in.log_payload);
    out->log_level = CLogLevel(in.log_level);
  }
  return SWR_OK;
}

}  // namespace swr::capi
