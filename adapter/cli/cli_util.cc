#include "cli_util.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace swrctl {

int Usage(const std::string& why) {
  std::cerr << "swrctl: " << why << "\n\nRun 'swrctl --help' for usage.\n";
  return kExitUsage;
}

int Fail(const std::string& message) {
  std::cerr << "swrctl: " << message << "\n";
  return kExitFailed;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace swrctl
