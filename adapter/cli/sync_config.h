// image-syncer's configuration, read as its users already have it: an auth
// file and an images file (JSON or YAML), or the older single --config file
// with "auth" and "images" sections. Every error names the file, the line
// and the key; nothing is half-read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace swrctl {

// One auth entry: "registry" or "registry/namespace" -> credentials.
struct AuthEntry {
  std::string key;  // "quay.io" or "quay.io/coreos"
  std::string username, password;
  bool insecure = false;  // image-syncer: an http registry (or TLS not verified)
  std::string where;      // "auth.yaml:3"
};

// One images rule: a source and its destinations.
struct ImageRule {
  std::string source;
  std::vector<std::string> destinations;
  std::string where;
};

struct SyncConfig {
  std::vector<AuthEntry> auth;
  std::vector<ImageRule> images;
  // What is worth a warning but not an error (a password file others can
  // read or change).
  std::vector<std::string> warnings;
  // The longest "registry" or "registry/namespace" key that prefixes
  // `host_and_path` ("quay.io/coreos/etcd"), or nullptr.
  const AuthEntry* AuthFor(const std::string& host_and_path) const;
};

// `getenv` resolves ${VAR} and $VAR references in auth values (tests pass
// their own).
using EnvLookup = std::optional<std::string> (*)(const std::string& name);
std::optional<std::string> ProcessEnv(const std::string& name);

// A reference of the images file taken apart (after CheckReference).
struct RuleReference {
  std::string host, repo;
  std::vector<std::string> tags;  // empty: all (source) or keep the source's (destination)
  std::string digest;
};
RuleReference ParseRuleReference(const std::string& ref);

// An image reference as the images file writes it (host/repository with
// :tag, :t1,t2 or @digest; a destination: one tag at most, no digest),
// checked with the registry client's grammar; `where` names file and line.
swr::Status CheckReference(const std::string& ref, const std::string& where, bool source);

swr::Status LoadAuthFile(const std::string& path, SyncConfig* out, EnvLookup env = ProcessEnv);
swr::Status LoadImagesFile(const std::string& path, SyncConfig* out);
// The older single file: {"auth": {...}, "images": {...}}.
swr::Status LoadLegacyConfig(const std::string& path, SyncConfig* out, EnvLookup env = ProcessEnv);

// The same from text (`name` stands for the file in messages).
swr::Status ParseAuth(const std::string& text, const std::string& name, SyncConfig* out, EnvLookup env = ProcessEnv);
swr::Status ParseImages(const std::string& text, const std::string& name, SyncConfig* out);
swr::Status ParseLegacy(const std::string& text, const std::string& name, SyncConfig* out, EnvLookup env = ProcessEnv);

}  // namespace swrctl
