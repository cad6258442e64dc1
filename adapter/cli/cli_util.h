// What every swrctl command shares: exit codes, messages, environment, files.
#pragma once

#include <string>

namespace swrctl {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the operation failed; message on stderr
constexpr int kExitUsage = 2;   // the command line is wrong

int Usage(const std::string& why);
int Fail(const std::string& message);
std::string Env(const char* name);
bool ReadFile(const std::string& path, std::string* out);

}  // namespace swrctl
