#include "args.h"

#include "options.h"

namespace swrctl {

bool Args::Add(const std::string& name, const std::string& spelled, bool has_inline, const std::string& inline_value,
               int argc, char** argv, int* i) {
  const OptionSpec* spec = FindOption(name);
  if (!spec) {
    error_ = "unknown option '" + spelled + "'";
    return false;
  }
  std::string value;
  if (!spec->TakesValue()) {
    if (has_inline) {
      error_ = "option '" + spelled + "' takes no value";
      return false;
    }
  } else if (has_inline) {
    value = inline_value;
  } else {
    if (*i + 1 >= argc) {
      error_ = "option '" + spelled + "' needs a value (" + spec->value + ")";
      return false;
    }
    value = argv[++*i];
  }
  auto& slot = values_[name];
  if (slot.empty()) given_.push_back(name);
  slot.push_back(value);
  return true;
}

bool Args::Parse(int argc, char** argv, int first) {
  bool only_positional = false;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    if (a[1] == '-') {  // --name, --name=value
      std::string name = a.substr(2), value;
      bool has_inline = false;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline = true;
      }
      if (!Add(name, "--" + name, has_inline, value, argc, argv, &i)) return false;
      continue;
    }
    // -x, -x VALUE, -xVALUE
    const OptionSpec* spec = nullptr;
    for (const auto& o : Options()) {
      if (o.short_name == a[1]) spec = &o;
    }
    if (!spec) {
      error_ = "unknown option '" + a + "'";
      return false;
    }
    if (a.size() > 2 && !spec->TakesValue()) {
      error_ = "unknown option '" + a + "' (short options are not bundled: give -" + std::string(1, a[1]) +
               " and the others one by one)";
      return false;
    }
    if (!Add(spec->name, a.substr(0, 2), a.size() > 2, a.substr(2), argc, argv, &i)) return false;
  }
  return true;
}

std::string Args::Get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::GetAll(const std::string& name) const {
  static const std::vector<std::string> kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

}  // namespace swrctl
