// swrctl's command-line parser, driven by the option declarations
// (options.h): "--name value", "--name=value", "-x value", "-xvalue",
// flags, "--" and positional arguments, with errors that say what is wrong.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace swrctl {

class Args {
 public:
  // Parses argv[first..argc) against every declared option; whether the
  // command takes each one is checked afterwards (CheckOptionsFor).
  // Returns false and sets error() on bad input.
  bool Parse(int argc, char** argv, int first);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Long names of the options given, in order, once each.
  const std::vector<std::string>& given() const { return given_; }
  const std::string& error() const { return error_; }

 private:
  bool Add(const std::string& name, const std::string& spelled, bool has_inline, const std::string& inline_value,
           int argc, char** argv, int* i);

  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  std::vector<std::string> given_;
  std::string error_;
};

}  // namespace swrctl
