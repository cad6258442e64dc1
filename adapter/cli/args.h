// A small command-line parser: "--name value", "--name=value", flags, and
// positional arguments, with errors that say what is wrong.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace swrctl {

class Args {
 public:
  // `with_value`: options that take a value; `flags`: options that do not.
  Args(std::set<std::string> with_value, std::set<std::string> flags)
      : with_value_(std::move(with_value)), flags_(std::move(flags)) {}

  // Parses argv[first..argc). Returns false and sets error() on bad input.
  bool Parse(int argc, char** argv, int first);

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  const std::vector<std::string>& GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  const std::string& error() const { return error_; }

 private:
  std::set<std::string> with_value_;
  std::set<std::string> flags_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  std::string error_;
};

}  // namespace swrctl
