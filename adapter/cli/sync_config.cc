#include "sync_config.h"

#include "registry/reference.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace swrctl {

using swr::Code;
using swr::Status;

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (!v) return std::nullopt;
  return std::string(v);
}

const AuthEntry* SyncConfig::AuthFor(const std::string& host_and_path) const {
  const AuthEntry* best = nullptr;
  for (const auto& a : auth) {
    bool match = host_and_path == a.key || host_and_path.rfind(a.key + "/", 0) == 0;
    if (match && (!best || a.key.size() > best->key.size())) best = &a;
  }
  return best;
}

namespace {

std::string Where(const std::string& name, const YAML::Node& n) {
  return n.Mark().is_null() ? name : fmt::format("{}:{}", name, n.Mark().line + 1);
}

Status Bad(const std::string& where, const std::string& what) {
  return Status(Code::kInvalidArgument, where + ": " + what);
}

// ${VAR} and $VAR references; an unset variable is an error; "$$" is a
// literal '$' (a password may hold one).
Status Expand(const std::string& in, const std::string& where, EnvLookup env, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size();) {
    if (in[i] != '$') {
      out->push_back(in[i++]);
      continue;
    }
    if (i + 1 < in.size() && in[i + 1] == '$') {  // "$$": a literal '$'
      out->push_back('$');
      i += 2;
      continue;
    }
    size_t start, end;
    if (i + 1 < in.size() && in[i + 1] == '{') {
      end = in.find('}', i + 2);
      if (end == std::string::npos) return Bad(where, "unclosed ${ in a value");
      start = i + 2;
    } else {
      start = i + 1;
      end = start;
      while (end < in.size() && (std::isalnum(static_cast<unsigned char>(in[end])) || in[end] == '_')) ++end;
      if (end == start) {  // a lone '$'
        out->push_back(in[i++]);
        continue;
      }
    }
    std::string name = in.substr(start, end - start);
    auto value = env(name);
    if (!value) return Bad(where, "the environment variable " + name + " is not set");
    *out += *value;
    i = in[i + 1] == '{' ? end + 1 : end;
  }
  return swr::OkStatus();
}

Status Load(const std::string& text, const std::string& name, YAML::Node* out) {
  try {
    *out = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Bad(e.mark.is_null() ? name : fmt::format("{}:{}", name, e.mark.line + 1), "cannot parse: " + e.msg);
  }
  if (out->IsNull()) return Bad(name, "the file is empty");
  if (!out->IsMap()) return Bad(Where(name, *out), "expected a mapping (an object) at the top");
  return swr::OkStatus();
}

Status Scalar(const YAML::Node& n, const std::string& where, const std::string& key, std::string* out) {
  if (!n.IsScalar()) return Bad(where, "'" + key + "' must be a string");
  *out = n.Scalar();
  return swr::OkStatus();
}

Status ParseAuthNode(const YAML::Node& root, const std::string& name, SyncConfig* out, EnvLookup env) {
  std::set<std::string> seen;
  for (const auto& kv : root) {
    std::string where = Where(name, kv.first);
    if (!kv.first.IsScalar()) return Bad(where, "a registry key must be a string");
    AuthEntry e;
    e.key = kv.first.Scalar();
    e.where = where;
    while (!e.key.empty() && e.key.back() == '/') e.key.pop_back();
    if (e.key.empty()) return Bad(where, "an empty registry key");
    if (!seen.insert(e.key).second) return Bad(where, "'" + e.key + "' appears twice");
    const YAML::Node& v = kv.second;
    if (!v.IsMap()) return Bad(where, "'" + e.key + "' must map to username, password and insecure");
    for (const auto& fv : v) {
      std::string fwhere = Where(name, fv.first);
      std::string field = fv.first.IsScalar() ? fv.first.Scalar() : "?";
      std::string raw;
      if (field == "username" || field == "password") {
        SWR_RETURN_IF_ERROR(Scalar(fv.second, fwhere, e.key + "." + field, &raw));
        SWR_RETURN_IF_ERROR(Expand(raw, fwhere + ": key '" + e.key + "." + field + "'", env,
                                   field == "username" ? &e.username : &e.password));
      } else if (field == "insecure") {
        SWR_RETURN_IF_ERROR(Scalar(fv.second, fwhere, e.key + ".insecure", &raw));
        if (raw == "true") {
          e.insecure = true;
        } else if (raw == "false") {
          e.insecure = false;
        } else {
          return Bad(fwhere, "key '" + e.key + ".insecure' must be true or false, not '" + raw + "'");
        }
      } else {
        return Bad(fwhere, "unknown key '" + e.key + "." + field + "' (expected username, password, insecure)");
      }
    }
    out->auth.push_back(std::move(e));
  }
  return swr::OkStatus();
}

// "host/path[:tag[,tag...]|@digest]": the registry must be named.
}  // namespace

Status CheckReference(const std::string& ref, const std::string& where, bool source) {
  size_t slash = ref.find('/');
  if (slash == std::string::npos || slash == 0) {
    return Bad(where, "'" + ref + "' needs a registry and a repository, e.g. registry.example.com/team/app:1.0");
  }
  std::string host = ref.substr(0, slash);
  if (host.find('.') == std::string::npos && host.find(':') == std::string::npos && host != "localhost") {
    return Bad(where, "'" + ref + "' does not start with a registry host (docker.io/library/... for Docker Hub)");
  }
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' && c != '[' && c != ']') {
      return Bad(where, "'" + ref + "': '" + host + "' is not a registry host");
    }
  }
  // The same grammar as swrctl copy and the registry client: nothing that is
  // not a repository, a tag or a digest reaches a URL.
  size_t at = ref.find('@');
  size_t colon = ref.find(':', ref.rfind('/'));
  std::string repo = ref.substr(slash + 1, std::min(at, colon) - slash - 1);
  if (!swr::registry::IsValidRepository(repo)) {
    return Bad(where, "'" + ref + "': '" + repo + "' is not a repository name (lower-case path components)");
  }
  if (at != std::string::npos) {
    if (!source) return Bad(where, "destination '" + ref + "' cannot be a digest");
    if (!swr::registry::IsDigest(ref.substr(at + 1))) {
      return Bad(where, "'" + ref + "': a digest is sha256:<64 hex> or sha512:<128 hex>");
    }
  } else if (colon != std::string::npos) {
    std::string tags = ref.substr(colon + 1);
    if (tags.empty() || tags.front() == ',' || tags.back() == ',' || tags.find(",,") != std::string::npos) {
      return Bad(where, "'" + ref + "': an empty tag");
    }
    if (!source && tags.find(',') != std::string::npos) return Bad(where, "destination '" + ref + "' has several tags");
    for (size_t start = 0; start <= tags.size();) {
      size_t comma = std::min(tags.find(',', start), tags.size());
      std::string tag = tags.substr(start, comma - start);
      if (!swr::registry::IsValidTag(tag)) return Bad(where, "'" + ref + "': '" + tag + "' is not a tag");
      start = comma + 1;
    }
  }
  return swr::OkStatus();
}

namespace {

// Tags a source names: none (all), one, or several.
size_t TagCount(const std::string& ref) {
  if (ref.find('@') != std::string::npos) return 1;
  size_t colon = ref.find(':', ref.rfind('/'));
  if (colon == std::string::npos) return 0;
  return 1 + static_cast<size_t>(std::count(ref.begin() + static_cast<long>(colon), ref.end(), ','));
}

bool HasTag(const std::string& ref) {
  return ref.find(':', ref.rfind('/')) != std::string::npos;
}

Status ParseImagesNode(const YAML::Node& root, const std::string& name, SyncConfig* out) {
  std::set<std::string> seen;
  for (const auto& kv : root) {
    std::string where = Where(name, kv.first);
    if (!kv.first.IsScalar()) return Bad(where, "a source must be a string");
    ImageRule r;
    r.source = kv.first.Scalar();
    r.where = where;
    if (r.source.empty()) return Bad(where, "an empty source");
    if (!seen.insert(r.source).second) return Bad(where, "source '" + r.source + "' appears twice");
    SWR_RETURN_IF_ERROR(CheckReference(r.source, where, true));
    const YAML::Node& v = kv.second;
    if (v.IsScalar()) {
      r.destinations.push_back(v.Scalar());
    } else if (v.IsSequence()) {
      for (const auto& d : v) {
        if (!d.IsScalar()) return Bad(Where(name, d), "a destination of '" + r.source + "' must be a string");
        r.destinations.push_back(d.Scalar());
      }
    } else {
      return Bad(where, "source '" + r.source + "' must map to a destination or a list of destinations");
    }
    if (r.destinations.empty()) return Bad(where, "source '" + r.source + "' has no destination");
    for (const auto& d : r.destinations) {
      if (d.empty()) {
        return Bad(where, "source '" + r.source +
                              "' has an empty destination (default registries are not supported: "
                              "name the destination)");
      }
      SWR_RETURN_IF_ERROR(CheckReference(d, where, false));
      if (HasTag(d) && TagCount(r.source) != 1) {
        return Bad(where, "destination '" + d + "' names a tag, but source '" + r.source +
                              "' stands for several tags (they keep their names)");
      }
    }
    out->images.push_back(std::move(r));
  }
  return swr::OkStatus();
}

Status ReadText(const std::string& path, std::string* out) {
  constexpr size_t kMax = 16u << 20;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Code::kInvalidArgument, "cannot read '" + path + "'");
  // At most one byte more than allowed: /dev/zero or a huge file is refused
  // without being read whole.
  out->assign(kMax + 1, '\0');
  in.read(out->data(), static_cast<std::streamsize>(out->size()));
  out->resize(static_cast<size_t>(in.gcount()));
  if (out->size() > kMax) return Status(Code::kInvalidArgument, "'" + path + "' is larger than 16 MiB");
  return swr::OkStatus();
}

// yaml-cpp reports problems by exception; none leaves this file.
template <typename Fn>
Status Guard(const std::string& name, Fn fn) {
  try {
    return fn();
  } catch (const YAML::Exception& e) {
    return Bad(e.mark.is_null() ? name : fmt::format("{}:{}", name, e.mark.line + 1), e.msg);
  } catch (const std::exception& e) {
    return Bad(name, e.what());
  }
}

}  // namespace

Status ParseAuth(const std::string& text, const std::string& name, SyncConfig* out, EnvLookup env) {
  return Guard(name, [&] {
    YAML::Node root;
    SWR_RETURN_IF_ERROR(Load(text, name, &root));
    return ParseAuthNode(root, name, out, env);
  });
}

Status ParseImages(const std::string& text, const std::string& name, SyncConfig* out) {
  return Guard(name, [&] {
    YAML::Node root;
    SWR_RETURN_IF_ERROR(Load(text, name, &root));
    return ParseImagesNode(root, name, out);
  });
}

Status ParseLegacy(const std::string& text, const std::string& name, SyncConfig* out, EnvLookup env) {
  return Guard(name, [&] {
    YAML::Node root;
    SWR_RETURN_IF_ERROR(Load(text, name, &root));
    bool images = false;
    for (const auto& kv : root) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      std::string where = Where(name, kv.first);
      if (key == "auth") {
        if (!kv.second.IsMap()) return Bad(where, "'auth' must be a mapping");
        SWR_RETURN_IF_ERROR(ParseAuthNode(kv.second, name, out, env));
      } else if (key == "images") {
        if (!kv.second.IsMap()) return Bad(where, "'images' must be a mapping");
        SWR_RETURN_IF_ERROR(ParseImagesNode(kv.second, name, out));
        images = true;
      } else {
        return Bad(where, "unknown key '" + key + "' (expected auth and images)");
      }
    }
    if (!images) return Bad(name, "no 'images' section");
    return swr::OkStatus();
  });
}

Status LoadAuthFile(const std::string& path, SyncConfig* out, EnvLookup env) {
  std::string text;
  SWR_RETURN_IF_ERROR(ReadText(path, &text));
  SWR_RETURN_IF_ERROR(ParseAuth(text, path, out, env));
  // Passwords in a file others may change or read: say so, as ssh does.
  struct stat st {};
  bool secrets = false;
  for (const auto& a : out->auth) secrets = secrets || !a.password.empty();
  if (secrets && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & (S_IWOTH | S_IROTH))) {
    out->warnings.push_back("'" + path + "' holds passwords and is " +
                            ((st.st_mode & S_IWOTH) ? "writable" : "readable") +
                            " by every user of this machine: chmod 600 it");
  }
  return swr::OkStatus();
}

Status LoadImagesFile(const std::string& path, SyncConfig* out) {
  std::string text;
  SWR_RETURN_IF_ERROR(ReadText(path, &text));
  return ParseImages(text, path, out);
}

Status LoadLegacyConfig(const std::string& path, SyncConfig* out, EnvLookup env) {
  std::string text;
  SWR_RETURN_IF_ERROR(ReadText(path, &text));
  return ParseLegacy(text, path, out, env);
}

RuleReference ParseRuleReference(const std::string& ref) {
  RuleReference p;
  size_t slash = ref.find('/');
  p.host = ref.substr(0, slash);
  std::string rest = ref.substr(slash + 1);
  if (size_t at = rest.find('@'); at != std::string::npos) {
    p.digest = rest.substr(at + 1);
    p.repo = rest.substr(0, at);
    return p;
  }
  size_t colon = rest.find(':');
  p.repo = rest.substr(0, colon);
  if (colon != std::string::npos) {
    std::string tags = rest.substr(colon + 1);
    size_t start = 0;
    while (start <= tags.size()) {
      size_t comma = tags.find(',', start);
      if (comma == std::string::npos) comma = tags.size();
      p.tags.push_back(tags.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return p;
}

}  // namespace swrctl
