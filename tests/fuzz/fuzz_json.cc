// JSON from servers: documents, and error bodies in every shape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/json.h"
#include "http/error_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto j = swr::Json::Parse(text);
  if (j.ok()) {
    (void)j->Dump();
    (void)j->Keys();
    (void)j->GetStrings("tags");
    (void)j->GetInt("size", -1);
  }
  swr::http::Response resp;
  resp.status = 400 + static_cast<int>(size % 200);
  resp.body = text;
  resp.headers = {{"X-Request-Id", text.substr(0, 64)}};
  (void)swr::ErrorFromResponse(resp, "fuzz").ToString();
  return 0;
}
