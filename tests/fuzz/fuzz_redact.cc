// The redactor sees every message, URL and log line, whatever a server sent.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  swr::Redactor r;
  r.AddSecret("fuzz-secret-key");
  r.AddToken(text.substr(0, 16));
  std::string out = r.Redact(text);
  std::string line = r.RedactLine(text);
  if (out.find("fuzz-secret-key") != std::string::npos) __builtin_trap();
  for (char c : line) {
    if (static_cast<unsigned char>(c) < 0x20) __builtin_trap();  // one line, always
  }
  (void)swr::RedactPatterns(text);
  return 0;
}
