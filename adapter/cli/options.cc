#include "options.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace swrctl {

namespace {

using Ids = std::vector<std::string>;

Ids Join(std::initializer_list<Ids> parts) {
  Ids out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Groups of commands that share options.
const Ids kManage = {"org list",  "org get",     "org create", "org delete",
                     "repo list", "repo delete", "tag list",   "tag delete"};
const Ids kLists = {"org list", "org get", "repo list", "tag list"};
const Ids kSwrClient = Join({kManage, {"login-key"}});                  // one SWR connection from --registry
const Ids kCredentials = Join({kSwrClient, {"sign", "copy", "sync"}});  // OS_* and their flags
const Ids kWork = kCredentials;                                         // every command that does something
const Ids kConnected = Join({kSwrClient, {"copy", "sync"}});            // talk to servers
const Ids kCopying = {"copy", "sync"};
const Ids kChanging = {"org create", "org delete", "repo delete", "tag delete", "copy", "sync"};
const Ids kSign = {"sign"};
const Ids kCopy = {"copy"};
const Ids kSync = {"sync"};

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const auto* commands = new std::vector<CommandSpec>{
      {"sign", "--method M --url URL", "the SDK-HMAC-SHA256 Authorization header for one request", false},
      {"login-key", "", "SWR's docker login password (long-term, or --temporary)", false},
      {"org list", "", "the organizations this account sees", false},
      {"org get", "NAME", "one organization: id, name, creator, this account's permission", false},
      {"org create", "NAME", "create an organization", true},
      {"org delete", "NAME", "delete an organization (once its repositories are gone)", true},
      {"repo list", "ORG", "the repositories of an organization", false},
      {"repo delete", "ORG REPO", "delete a repository with every image in it", true},
      {"tag list", "ORG REPO", "the tags of a repository, with digest and size", false},
      {"tag delete", "ORG REPO TAG", "delete one tag", true},
      {"copy", "SOURCE DEST", "one image (manifest, manifest list or OCI index) between registries", true},
      {"sync", "--auth FILE --images FILE", "many images at once, from image-syncer's files", true},
      {"help", "[COMMAND]", "this text, or one command's", false},
      {"completion", "bash|zsh|fish", "a shell completion script", false},
      {"man", "", "the manual page, swrctl(1), as roff", false},
  };
  return *commands;
}

const std::vector<GroupSpec>& Groups() {
  static const auto* groups = new std::vector<GroupSpec>{
      {"sign", "swrctl sign: the SDK-HMAC-SHA256 Authorization header for one request",
       "Prints the Authorization header value. host, x-sdk-date and every --header are signed unless "
       "--signed-headers names the set. Needs OS_ACCESS_KEY and OS_SECRET_KEY (or --access-key and "
       "--secret-key-file)."},
      {"login-key", "swrctl login-key: SWR's docker login password",
       "Without options: the long-term login key (hex HMAC-SHA256 of the AK with the SK). --docker prints "
       "\"swrctl login-key | docker login --username P@AK --password-stdin HOST\" (the key goes through a pipe, "
       "never onto a command line; needs --registry and OS_PROJECT_NAME). --temporary asks SWR (--registry) for "
       "a temporary docker login, valid for hours."},
      {"org", "swrctl org: SWR organizations (namespaces)",
       "Organization names are unique in a region across all accounts; an account may hold 5. --json "
       "prints [{\"id\",\"name\",\"creator_name\",\"auth\"}] (list) or one such object (get); auth is this "
       "account's permission: 1 read, 3 write, 7 manage."},
      {"repo", "swrctl repo: SWR repositories",
       "Deletes use SWR's management API. --json prints [{\"organization\",\"name\"}]."},
      {"tag", "swrctl tag: tags of an SWR repository", "--json prints [{\"tag\",\"digest\",\"size\"}]."},
      {"copy", "swrctl copy: one image (a manifest, a manifest list or an OCI index) between registries",
       "References are host[:port]/path[:tag|@digest]. Blobs the destination has are skipped, blobs it "
       "holds in another repository are mounted, the rest stream with bounded memory; manifests go last. "
       "The destination's digest is printed on stdout. A side is SWR when its host is "
       "swr.<region>.otc.t-systems.com (or with --src-swr/--dest-swr) and then uses the OS_* credentials; "
       "other registries use --src-creds-file/--dest-creds-file, else ~/.docker/config.json, else anonymous. "
       "For an SWR destination the organization is created after the source was read, unless "
       "--no-create-org."},
      {"sync", "swrctl sync: many images at once, from image-syncer's auth and images files",
       "Files (JSON or YAML, as image-syncer reads them): auth maps a registry or registry/namespace "
       "(longest match wins) to username, password and insecure (an http registry, or TLS not verified); "
       "${VAR} and $VAR are taken from the environment. For SWR: username '<project>@<AK>' and password the "
       "SK (or the login key); without an entry SWR hosts use OS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME. "
       "images maps a source to a destination or a list of them: a source without tag means all its tags, "
       "repo:t1,t2 a list, repo@sha256:... a digest; a destination without tag keeps the source's. "
       "--config FILE is image-syncer's older single file; --retry-failed REPORT runs the failed and "
       "unfinished images of an earlier report.\n\n"
       "Each blob crosses the wire once per destination registry (later images mount it); a rerun with "
       "nothing changed costs one HEAD per tag at each end. Ctrl-C stops cleanly (a second one quits at "
       "once). Exit codes: 0 all images there, 1 some failed (listed on stderr and in the report), 2 usage "
       "error, 130 interrupted."},
      {"help", "swrctl help: help for swrctl or one command", ""},
      {"completion", "swrctl completion: shell completion generated from swrctl's option declarations",
       "bash: source <(swrctl completion bash), or install it as "
       "/usr/share/bash-completion/completions/swrctl. zsh: source <(swrctl completion zsh). fish: "
       "swrctl completion fish > ~/.config/fish/completions/swrctl.fish."},
      {"man", "swrctl man: the manual page", "swrctl man | man -l -"},
  };
  return *groups;
}

const std::vector<OptionSpec>& Options() {
  static const auto* options = new std::vector<OptionSpec>{
      // Everywhere.
      {"help", 'h', "", "show this command's help", {}},
      {"version", 0, "", "print swrctl's version", {}},
      {"quiet", 'q', "", "only the result: no progress, no confirmations on stderr", kWork},
      {"verbose", 'v', "", "log requests (redacted) to stderr; sign: also the canonical request and string to sign",
       kWork},
      // Credentials.
      {"access-key", 0, "AK", "the access key (default: OS_ACCESS_KEY)", kCredentials},
      {"secret-key-file", 0, "FILE", "read the secret key from FILE (\"-\": stdin; default: OS_SECRET_KEY)",
       kCredentials},
      {"secret-key", 0, "SK", "the secret key on the command line (visible in ps: warned about)", kCredentials},
      {"project-name", 0, "NAME", "the regional project, e.g. eu-de (default: OS_PROJECT_NAME)", kCredentials},
      {"project-id", 0, "ID", "sent and signed as X-Project-Id (default: OS_PROJECT_ID)", kCredentials},
      {"secret-kind", 0, "KIND",
       "what the secret holds: auto (default: 64 hex digits are a long-term login key, \"temp:...\" or "
       "other hex of 48 digits or more a temporary password, else the SK), sk, login-key, temporary",
       Join({kSwrClient, kCopying})},
      // One SWR connection.
      {"registry", 0, "URL", "the SWR registry, e.g. https://swr.eu-de.otc.t-systems.com (default: SWR_REGISTRY)",
       kSwrClient},
      {"management-url", 0, "URL", "SWR's API host when it is not the registry's with swr. -> swr-api.", kConnected},
      {"insecure", 0, "", "do not verify TLS certificates (copy: at both ends)", Join({kSwrClient, kCopy})},
      {"plain-http", 0, "", "allow http:// to a host other than this machine", kSwrClient},
      {"ca-file", 0, "FILE", "trust the CA certificates in PEM file FILE", kConnected},
      {"timeout", 0, "SECONDS", "per request (default 60)", kConnected},
      {"proxy", 0, "URL",
       "send every request through this proxy (http://host:port, socks5h://...); default: https_proxy, "
       "HTTPS_PROXY, http_proxy and NO_PROXY from the environment",
       kConnected},
      // Signing.
      {"format", 0, "F", "signature format: access (default) or credential", Join({kSign, kSwrClient})},
      {"region", 0, "R", "the region signed into the credential scope (format credential)", Join({kSign, kSwrClient})},
      {"service", 0, "S", "the service signed into the credential scope (format credential)",
       Join({kSign, kSwrClient})},
      {"method", 0, "M", "the request's method", kSign},
      {"url", 0, "URL", "the request's URL", kSign},
      {"header", 0, "'NAME: VALUE'", "a request header (signed by default)", kSign, true},
      {"data-file", 0, "FILE", "the request body", kSign},
      {"date", 0, "YYYYMMDDTHHMMSSZ", "the X-Sdk-Date to sign (default: now)", kSign},
      {"signed-headers", 0, "a;b", "exactly these headers are signed", kSign},
      // login-key.
      {"docker", 0, "", "print how to log docker in with the key, through a pipe", {"login-key"}},
      {"temporary", 0, "", "SWR's temporary docker login (valid for hours; needs --registry)", {"login-key"}},
      // Output and changes.
      {"json", 0, "", "print JSON (shapes above and in the README)", kLists},
      {"dry-run", 0, "", "say what would be done; only GET and HEAD requests are sent, nothing changes", kChanging},
      // copy.
      {"src-plain-http", 0, "", "the source speaks http:// (loopback registries)", kCopy},
      {"dest-plain-http", 0, "", "the destination speaks http://", kCopy},
      {"src-insecure", 0, "", "do not verify the source's TLS certificate", kCopy},
      {"dest-insecure", 0, "", "do not verify the destination's TLS certificate", kCopy},
      {"src-creds-file", 0, "FILE", "USER:PASSWORD for the source from FILE (\"-\": stdin)", kCopy},
      {"dest-creds-file", 0, "FILE", "USER:PASSWORD for the destination from FILE (\"-\": stdin)", kCopy},
      {"src-creds", 0, "USER:PASS", "the same on the command line (visible in ps: warned about)", kCopy},
      {"dest-creds", 0, "USER:PASS", "the same on the command line (visible in ps: warned about)", kCopy},
      {"src-swr", 0, "", "the source is SWR (automatic for swr.<region>.otc.t-systems.com)", kCopy},
      {"dest-swr", 0, "", "the destination is SWR (automatic for swr.<region>.otc.t-systems.com)", kCopy},
      {"no-create-org", 0, "", "do not create a missing SWR organization at the destination", kCopy},
      {"parallel", 0, "N", "blobs in flight at once (default 4)", kCopy},
      {"chunk-size", 0, "BYTES", "resumable chunked uploads instead of one streamed PUT per blob", kCopy},
      {"verify", 0, "", "also hash every blob as it is read (the destination checks each digest anyway)", kCopy},
      {"deadline", 0, "SECONDS", "fail a copy (sync: each image's) that takes longer", kCopying},
      {"min-rate", 0, "BYTES",
       "fail a blob transfer slower than this many bytes/s over the --timeout window, naming the slow side "
       "(default 65536; 0: only a complete stall fails)",
       kCopy},
      {"allow-insecure-redirect", 0, "", "follow a source's https -> http blob redirects", kCopy},
      // copy and sync.
      {"os", 0, "OS", "keep this platform's OS in manifest lists and indexes (repeatable)", kCopying, true},
      {"arch", 0, "ARCH", "keep this architecture in manifest lists and indexes (repeatable)", kCopying, true},
      {"oci-index-to-docker-list", 0, "",
       "convert OCI indexes and manifests to Docker's formats where nothing is lost (SWR refuses OCI "
       "indexes; the digests change)",
       kCopying},
      {"force", 0, "",
       "copy even when the destination has the same digest (missing blobs copied, manifests pushed again)", kCopying},
      // sync.
      {"auth", 0, "FILE", "image-syncer's auth file", kSync},
      {"images", 0, "FILE", "image-syncer's images file", kSync},
      {"config", 0, "FILE", "image-syncer's older single file (auth and images)", kSync},
      {"proc", 'p', "N", "images and blob transfers at once (default 5)", kSync},
      {"retries", 'r', "N", "rounds of retrying failed images after the pass (default 2)", kSync},
      {"report", 0, "FILE",
       "JSON: per image source, destination, status, digest, bytes, blobs copied/mounted/skipped, duration, error",
       kSync},
      {"retry-failed", 0, "REPORT", "run the failed and unfinished images of an earlier report", kSync},
      {"output-success-images", 0, "FILE", "the images that arrived, in image-syncer's images format", kSync},
      {"output-images-format", 0, "json|yaml", "the format of --output-success-images (default yaml)", kSync},
      {"swr-host", 0, "HOST", "treat HOST as SWR (automatic for swr.<region>.otc.t-systems.com; repeatable)", kSync,
       true},
      {"swr-rate", 0, "N", "requests per second to SWR (default 20, SWR's published limit)", kSync},
  };
  return *options;
}

bool IsCommonOption(const OptionSpec& o) {
  return o.commands.empty() || o.commands == kWork;
}

bool OptionSpec::For(const std::string& command) const {
  return commands.empty() || std::find(commands.begin(), commands.end(), command) != commands.end();
}

const OptionSpec* FindOption(const std::string& name) {
  for (const auto& o : Options()) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

const CommandSpec* FindCommand(const std::string& id) {
  for (const auto& c : Commands()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const GroupSpec* FindGroup(const std::string& name) {
  for (const auto& g : Groups()) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

std::string GroupOf(const std::string& id) {
  return id.substr(0, id.find(' '));
}

std::vector<const CommandSpec*> CommandsOf(const std::string& group) {
  std::vector<const CommandSpec*> out;
  for (const auto& c : Commands()) {
    if (GroupOf(c.id) == group) out.push_back(&c);
  }
  return out;
}

std::string SubcommandsOf(const std::string& group, const std::string& sep) {
  std::string out;
  for (const auto* c : CommandsOf(group)) {
    out += (out.empty() ? "" : sep) + c->id.substr(group.size() + 1);
  }
  return out;
}

std::string ResolveCommand(const std::vector<std::string>& pos, std::string* error) {
  if (pos.empty()) {
    *error = "no command given";
    return "";
  }
  auto group = CommandsOf(pos[0]);
  if (group.empty()) {
    *error = "unknown command '" + pos[0] + "'";
    return "";
  }
  if (group.size() == 1 && group[0]->id == pos[0]) return pos[0];
  if (pos.size() < 2) {
    *error = pos[0] + " needs a subcommand: " + SubcommandsOf(pos[0]);
    return "";
  }
  std::string id = pos[0] + " " + pos[1];
  if (!FindCommand(id)) {
    *error = "unknown " + pos[0] + " subcommand '" + pos[1] + "': " + SubcommandsOf(pos[0]);
    return "";
  }
  return id;
}

std::string CheckOptionsFor(const std::string& command, const std::vector<std::string>& given) {
  for (const auto& name : given) {
    const OptionSpec* o = FindOption(name);
    if (!o || o->For(command)) continue;
    std::string takers;
    for (const auto& c : o->commands) takers += (takers.empty() ? "" : ", ") + c;
    return "'" + command + "' does not take --" + name + ": it is an option of " + takers;
  }
  return "";
}

}  // namespace swrctl
