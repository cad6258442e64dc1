// Error bodies (SWR, the API gateway, the registry) turned into Status.
#pragma once

#include <string_view>

#include "common/status.h"
#include "http/transport.h"

namespace swr {

// Builds the error for a non-2xx response. Understands the gateway shape
// {"error_code","error_msg","request_id"}, SWR's array (or single object) of
// {"errorCode","errorMessage"}, and the registry's {"errors":[{"code","message"}]};
// any other body is quoted (shortened) as text. `what` names the operation.
Status ErrorFromResponse(const http::Response& response, std::string_view what);

// SWR answers floods of management requests with 403 and one of these codes
// ("too many requests"): rate limiting, worth a retry, not a permission error.
bool IsSwrThrottleCode(std::string_view code);
bool IsSwrThrottle(const http::Response& response);

}  // namespace swr
