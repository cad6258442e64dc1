#include "common/status.h"

#include <fmt/format.h>

namespace swr {

const char* CodeNameOrNull(int code) {
  switch (code) {
#define SWR_STATUS_CODE_CASE(name, value, text) \
  case value:                                  \
    return text;
    SWR_STATUS_CODES(SWR_STATUS_CODE_CASE)
#undef SWR_STATUS_CODE_CASE
  }
  return nullptr;
}

const char* CodeName(Code code) {
  const char* text = CodeNameOrNull(static_cast<int>(code));
  return text ? text : "error";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = fmt::format("{}: {}", CodeName(code_), message_);
  std::string extra;
  if (http_status_ != 0) extra += fmt::format("HTTP {}", http_status_);
  if (!swr_code_.empty()) extra += (extra.empty() ? "" : ", ") + swr_code_;
  if (!request_id_.empty()) extra += (extra.empty() ? "" : ", ") + ("request " + request_id_);
  if (!extra.empty()) out += " (" + extra + ")";
  return out;
}

}  // namespace swr
