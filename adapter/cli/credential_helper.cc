// docker-credential-swr: a docker credential helper for SWR (docker's
// protocol: `get`, `store`, `erase`, `list`, `version`; the request on
// standard input, the answer on standard output, exit 1 with the error text
// on standard output). For an SWR registry host it answers
// "<project>@<AK>" and the long-term login key derived from the AK/SK, so
// no `docker login` is needed and no secret lands in ~/.docker/config.json.
//
// The AK/SK come from OS_ACCESS_KEY / OS_SECRET_KEY (and OS_PROJECT_NAME),
// or from the file SWR_CREDENTIALS_FILE names (default
// $XDG_CONFIG_HOME/swr/credentials, ~/.config/swr/credentials): lines
// "OS_ACCESS_KEY=...", "OS_SECRET_KEY=...", "OS_PROJECT_NAME=..." (# comments),
// readable by its owner only. The environment wins over the file.
//
// SWR hosts are swr.<region>.<domain> as SWR names them; more hosts (a
// private endpoint, a test emulator) can be listed, comma-separated, in
// DOCKER_CREDENTIAL_SWR_HOSTS.
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>

#include "auth/credentials.h"
#include "common/json.h"
#include "common/url.h"
#include "swr/hosts.h"

namespace {

// The text docker's client recognises as "no credentials for this host"
// (docker-credential-helpers' credentials.NewErrCredentialsNotFound).
constexpr char kNotFound[] = "credentials not found in native keychain";
constexpr char kVersion[] = "docker-credential-swr (otcswr) " SWR_LIBRARY_VERSION;

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The protocol's errors: the message on standard output, exit code 1.
int Error(const std::string& message) {
  std::cout << message << "\n";
  return 1;
}

// "https://swr.eu-de.otc.t-systems.com/v2/" or "swr.eu-de...:443" -> "swr.eu-de.otc.t-systems.com[:port]".
std::string HostOf(std::string server) {
  server = Trim(server);
  if (server.find("://") == std::string::npos) server = "https://" + server;
  auto url = swr::ParseUrl(server);
  if (!url.ok()) return "";
  std::string host = url->Authority();
  for (auto& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

bool IsConfiguredHost(const std::string& host) {
  std::string list = Env("DOCKER_CREDENTIAL_SWR_HOSTS");
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string item = HostOf(list.substr(start, comma - start));
    if (!item.empty() && item == host) return true;
    start = comma + 1;
  }
  return false;
}

bool IsSwrHost(const std::string& host) {
  return swr::IsSwrRegistryHost(host) || IsConfiguredHost(host);
}

struct Credentials {
  std::string access_key, secret_key, project;
};

// Reads KEY=VALUE lines; an error message, or "".
std::string ReadCredentialsFile(const std::string& path, Credentials* c) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "";  // no file: the environment only
  if ((st.st_mode & 077) != 0) {
    return path + " is readable by other users; chmod 600 it (it holds the SK)";
  }
  std::ifstream in(path);
  if (!in) return "cannot read " + path;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = Trim(line.substr(7));
    size_t eq = line.find('=');
    if (eq == std::string::npos) return path + ":" + std::to_string(n) + ": expected KEY=VALUE";
    std::string key = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "OS_ACCESS_KEY") {
      c->access_key = value;
    } else if (key == "OS_SECRET_KEY") {
      c->secret_key = value;
    } else if (key == "OS_PROJECT_NAME") {
      c->project = value;
    } else {
      return path + ":" + std::to_string(n) + ": unknown key '" + key +
             "' (expected OS_ACCESS_KEY, OS_SECRET_KEY or OS_PROJECT_NAME)";
    }
  }
  return "";
}

std::string CredentialsFilePath() {
  std::string path = Env("SWR_CREDENTIALS_FILE");
  if (!path.empty()) return path;
  std::string base = Env("XDG_CONFIG_HOME");
  if (base.empty()) {
    std::string home = Env("HOME");
    if (home.empty()) return "";
    base = home + "/.config";
  }
  return base + "/swr/credentials";
}

// The file, then the environment over it; an error message, or "".
std::string LoadCredentials(Credentials* c) {
  if (std::string path = CredentialsFilePath(); !path.empty()) {
    if (std::string e = ReadCredentialsFile(path, c); !e.empty()) return e;
  }
  if (!Env("OS_ACCESS_KEY").empty()) c->access_key = Env("OS_ACCESS_KEY");
  if (!Env("OS_SECRET_KEY").empty()) c->secret_key = Env("OS_SECRET_KEY");
  if (!Env("OS_PROJECT_NAME").empty()) c->project = Env("OS_PROJECT_NAME");
  return "";
}

// The project of the username: OS_PROJECT_NAME when it belongs to the
// host's region ("eu-de", "eu-de_team"), else the region's default project.
std::string ProjectFor(const std::string& host, const std::string& configured) {
  std::string bare = host.substr(0, host.find(':'));
  auto swr_host = swr::ParseSwrHost(bare);
  if (!swr_host) return configured;  // a configured extra host: as given
  const std::string& region = swr_host->region;
  if (configured == region || configured.rfind(region + "_", 0) == 0) return configured;
  return region;
}

int Get(const std::string& input) {
  std::string server = Trim(input);
  std::string host = HostOf(server);
  if (host.empty() || !IsSwrHost(host)) return Error(kNotFound);
  Credentials c;
  if (std::string e = LoadCredentials(&c); !e.empty()) return Error("docker-credential-swr: " + e);
  if (c.access_key.empty() || c.secret_key.empty()) {
    // Not "not found": docker would go on anonymously and the user would
    // see only a "denied" later. This error reaches the user as it is.
    return Error("docker-credential-swr: no AK/SK for " + host +
                 ": set OS_ACCESS_KEY and OS_SECRET_KEY, or write them to " + CredentialsFilePath());
  }
  std::string project = ProjectFor(host, c.project);
  if (project.empty()) return Error("docker-credential-swr: set OS_PROJECT_NAME (e.g. eu-de) for " + host);
  swr::JsonWriter w;
  w.StartObject()
      .Key("ServerURL")
      .String(server)
      .Key("Username")
      .String(project + "@" + c.access_key)
      .Key("Secret")
      .String(swr::LoginKey(c.access_key, c.secret_key))
      .EndObject();
  std::cout << w.str() << "\n";
  return 0;
}

int Store(const std::string& input) {
  auto doc = swr::Json::Parse(input);
  if (!doc.ok() || !doc->IsObject())
    return Error("docker-credential-swr: store expects a JSON object on standard input");
  std::string host = HostOf(doc->GetString("ServerURL"));
  if (host.empty() || !IsSwrHost(host)) {
    return Error("docker-credential-swr stores nothing: it serves SWR hosts only, from OS_ACCESS_KEY/OS_SECRET_KEY");
  }
  return 0;  // SWR: the credentials are derived on every get; nothing to keep
}

int Erase(const std::string& input) {
  std::string host = HostOf(input);
  if (host.empty() || !IsSwrHost(host)) return Error(kNotFound);
  return 0;
}

// The configured hosts (SWR_REGISTRY and DOCKER_CREDENTIAL_SWR_HOSTS) with
// their usernames, when credentials are there.
int List() {
  Credentials c;
  swr::JsonWriter w;
  w.StartObject();
  if (LoadCredentials(&c).empty() && !c.access_key.empty() && !c.secret_key.empty()) {
    std::string hosts = Env("SWR_REGISTRY");
    std::string extra = Env("DOCKER_CREDENTIAL_SWR_HOSTS");
    if (!extra.empty()) hosts += (hosts.empty() ? "" : ",") + extra;
    std::map<std::string, std::string> out;
    size_t start = 0;
    while (start <= hosts.size()) {
      size_t comma = hosts.find(',', start);
      if (comma == std::string::npos) comma = hosts.size();
      std::string host = HostOf(hosts.substr(start, comma - start));
      if (!host.empty() && IsSwrHost(host)) {
        std::string project = ProjectFor(host, c.project);
        if (!project.empty()) out[host] = project + "@" + c.access_key;
      }
      start = comma + 1;
    }
    for (const auto& [host, user] : out) w.Key(host).String(user);
  }
  w.EndObject();
  std::cout << w.str() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc != 2) {
      std::cerr << "usage: docker-credential-swr get|store|erase|list|version (request on standard input)\n"
                   "A docker credential helper for Open Telekom Cloud SWR; add to ~/.docker/config.json:\n"
                   "  \"credHelpers\": {\"swr.eu-de.otc.t-systems.com\": \"swr\"}\n";
      return 2;
    }
    std::string cmd = argv[1];
    if (cmd == "version" || cmd == "--version") {
      std::cout << kVersion << "\n";
      return 0;
    }
    if (cmd == "list") return List();
    // At most 64 KiB of request: a server URL or a small JSON object.
    std::string input;
    char buf[4096];
    while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
      input.append(buf, static_cast<size_t>(std::cin.gcount()));
      if (input.size() > 65536) return Error("docker-credential-swr: the request is too large");
    }
    if (cmd == "get") return Get(input);
    if (cmd == "store") return Store(input);
    if (cmd == "erase") return Erase(input);
    return Error("docker-credential-swr: unknown command '" + cmd + "' (get, store, erase, list, version)");
  } catch (const std::exception& e) {
    return Error(std::string("docker-credential-swr: internal error: ") + e.what());
  }
}
