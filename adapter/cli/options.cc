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
const Ids kManage = {"org list", "org get", "org create", "org delete",
                     "repo list", "repo delete", "tag list", "tag delete"};
const Ids kLists = {"org list", "org get", "repo list", "tag list"};
const Ids kSwrClient = Join({kManage, {"login-key"}});             // one SWR connection from --registry
const Ids kCredentials = Join({kSwrClient, {"sign", "copy", "sync"}});  // OS_* and their flags
const Ids kWork = kCredentials;                                        // every command that does something
const Ids kConnected = Join({kSwrClient, {"copy", "sync"}});           // talk to servers
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
      {"tag", "swrctl tag: tags of an SWR repository",
       "--json prints [{\"tag\",\"digest\",\"size\"}]."},
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
       "what the secret holds: auto (default: 64 hex digits are a long-term login key, \"temp:...\" a "
       "temporary password, else the SK), sk, login-key, temporary",
       Join({kSwrClient, kCopying})},
      // One SWR connection.
      {"registry", 0, "URL", "the SWR registry, e.g. https://swr.eu-de.otc.t-systems.com (default: SWR_REGISTRY)",
       kSwrClient},
      {"management-url", 0, "URL", "SWR's API host when it is not the registry's with swr. -> swr-api.",
       kConnected},
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
      {"deadline", 0, "SECONDS", "fail when the whole copy takes longer", kCopy},
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
       "copy even when the destination has the same digest (missing blobs copied, manifests pushed again)",
       kCopying},
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

bool IsCommonOption(const OptionSpec& o) { return o.commands.empty() || o.commands == kWork; }

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

namespace {

std::string GroupOf(const std::string& id) { return id.substr(0, id.find(' ')); }

std::vector<const CommandSpec*> CommandsOf(const std::string& group) {
  std::vector<const CommandSpec*> out;
  for (const auto& c : Commands()) {
    if (GroupOf(c.id) == group) out.push_back(&c);
  }
  return out;
}

std::string SubcommandsOf(const std::string& group, const std::string& sep = ", ") {
  std::string out;
  for (const auto* c : CommandsOf(group)) {
    out += (out.empty() ? "" : sep) + c->id.substr(group.size() + 1);
  }
  return out;
}

}  // namespace

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

// ---- help ----

namespace {

// Words wrapped into `width` columns, each line after the first indented.
std::string Wrap(const std::string& text, size_t indent, size_t first_column, size_t width = 79) {
  std::istringstream words(text);
  std::string word, out;
  size_t column = first_column;
  bool line_start = true;
  while (words >> word) {
    if (!line_start && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += " ";
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
  }
  return out;
}

std::string Paragraphs(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string::npos) end = text.size();
    out += Wrap(text.substr(start, end - start), 0, 0) + "\n";
    start = end + 2;
    if (start <= text.size()) out += "\n";
  }
  return out;
}

std::string OptionLabel(const OptionSpec& o) {
  std::string label = o.short_name ? std::string("-") + o.short_name + ", --" + o.name : "--" + o.name;
  if (o.TakesValue()) label += " " + o.value;
  return label;
}

std::string OptionLines(const std::vector<const OptionSpec*>& options, const std::vector<const CommandSpec*>& cmds) {
  constexpr size_t kColumn = 28;
  std::string out;
  for (const auto* o : options) {
    std::string label = "  " + OptionLabel(*o);
    std::string help = o->help;
    if (cmds.size() > 1) {
      std::string only;
      size_t n = 0;
      for (const auto* c : cmds) {
        if (o->For(c->id)) {
          only += (only.empty() ? "" : ", ") + c->id.substr(c->id.find(' ') + 1);
          ++n;
        }
      }
      if (n < cmds.size()) help += " (" + only + ")";
    }
    if (label.size() + 2 > kColumn) {
      out += label + "\n" + std::string(kColumn, ' ');
    } else {
      out += label + std::string(kColumn - label.size(), ' ');
    }
    out += Wrap(help, kColumn, kColumn) + "\n";
  }
  return out;
}

std::vector<const OptionSpec*> OptionsOfAny(const std::vector<const CommandSpec*>& cmds, bool include_global) {
  std::vector<const OptionSpec*> out;
  for (const auto& o : Options()) {
    if (o.commands.empty() && !include_global) continue;
    for (const auto* c : cmds) {
      if (o.For(c->id)) {
        out.push_back(&o);
        break;
      }
    }
  }
  return out;
}

std::string UsageLine(const CommandSpec& c) {
  return "swrctl " + c.id + (c.args.empty() ? "" : " " + c.args) + " [options]";
}

}  // namespace

std::string GroupHelp(const std::string& name) {
  const GroupSpec* g = FindGroup(name);
  if (!g) return "";
  auto cmds = CommandsOf(name);
  std::string out = g->title + "\n\nUsage:\n";
  for (const auto* c : cmds) {
    out += "  " + UsageLine(*c) + "\n";
    if (cmds.size() > 1) out += "      " + Wrap(c->summary, 6, 6) + "\n";
  }
  if (!g->details.empty()) out += "\n" + Paragraphs(g->details);
  std::vector<const OptionSpec*> options;
  for (const auto* o : OptionsOfAny(cmds, false)) {
    if (!IsCommonOption(*o)) options.push_back(o);
  }
  if (!options.empty()) out += "\nOptions:\n" + OptionLines(options, cmds);
  if (name != "help" && name != "completion" && name != "man") {
    out += "\nAlso -h/--help, -q/--quiet, -v/--verbose and the credential options of every command (swrctl --help).\n";
  }
  return out;
}

std::string TopLevelHelp() {
  std::string out =
      "swrctl: Open Telekom Cloud SWR from the command line\n\n"
      "Usage: swrctl COMMAND [options]   (swrctl help COMMAND, or COMMAND --help, for one command)\n\nCommands:\n";
  for (const auto& c : Commands()) {
    std::string label = "  " + c.id + (c.args.empty() ? "" : " " + c.args);
    if (label.size() + 2 > 36) {
      out += label + "\n" + std::string(36, ' ');
    } else {
      out += label + std::string(36 - label.size(), ' ');
    }
    out += Wrap(c.summary, 36, 36) + "\n";
  }
  out += "\n" + Paragraphs(
                    "Credentials come from OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME (OS_PROJECT_ID is sent "
                    "as X-Project-Id when set); --access-key, --secret-key-file F (\"-\": stdin), --project-name "
                    "and --project-id override them. The registry URL of org, repo, tag and login-key may also "
                    "come from SWR_REGISTRY. Secrets are never printed. Each command takes only its own options "
                    "(swrctl help COMMAND lists them); any other is a usage error.");
  out += "\nOptions of every command:\n";
  std::vector<const OptionSpec*> global;
  for (const auto& o : Options()) {
    if (IsCommonOption(o)) global.push_back(&o);
  }
  out += OptionLines(global, {});
  out += "\nExit codes: 0 success, 1 operation failed, 2 usage error.\n";
  return out;
}

// ---- the manual page ----

namespace {

std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  // A line starting with . or ' would be a request.
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

}  // namespace

std::string ManPage(const std::string& version) {
  std::string out = ".TH SWRCTL 1 \"\" \"swrctl " + version + "\" \"User Commands\"\n";
  out += ".SH NAME\nswrctl \\- Open Telekom Cloud SWR from the command line\n";
  out += ".SH SYNOPSIS\n";
  for (const auto& c : Commands()) out += ".br\n" + Roff(UsageLine(c)) + "\n";
  out += ".SH DESCRIPTION\n";
  out += Roff("Moves container images into Open Telekom Cloud's SoftWare Repository for Container (SWR) and "
              "manages its organizations, repositories and tags. Credentials come from OS_ACCESS_KEY, "
              "OS_SECRET_KEY and OS_PROJECT_NAME; secrets are never printed. Each command takes only its own "
              "options; any other is a usage error (exit 2).") +
         "\n";
  out += ".SH COMMANDS\n";
  for (const auto& g : Groups()) {
    auto cmds = CommandsOf(g.name);
    out += ".SS " + Roff(g.name) + "\n" + Roff(g.title) + "\n";
    for (const auto* c : cmds) out += ".TP\n.B " + Roff(UsageLine(*c)) + "\n" + Roff(c->summary) + "\n";
    if (!g.details.empty()) {
      out += ".PP\n";
      std::string d = g.details;
      for (size_t p; (p = d.find("\n\n")) != std::string::npos;) d.replace(p, 2, "\n.PP\n");
      std::istringstream lines(d);
      for (std::string line; std::getline(lines, line);) out += (line == ".PP" ? line : Roff(line)) + "\n";
    }
    std::vector<const OptionSpec*> options;
    for (const auto* o : OptionsOfAny(cmds, false)) {
      if (!IsCommonOption(*o)) options.push_back(o);
    }
    if (!options.empty()) out += ".PP\nOptions:\n";
    for (const auto* o : options) out += ".TP\n.B " + Roff(OptionLabel(*o)) + "\n" + Roff(o->help) + "\n";
  }
  out += ".SH OPTIONS OF EVERY COMMAND\n";
  for (const auto& o : Options()) {
    if (IsCommonOption(o)) out += ".TP\n.B " + Roff(OptionLabel(o)) + "\n" + Roff(o.help) + "\n";
  }
  out += ".SH EXIT STATUS\n0 success, 1 the operation failed, 2 usage error, 130 interrupted (sync).\n";
  out += ".SH ENVIRONMENT\nOS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME, OS_PROJECT_ID, SWR_REGISTRY, "
         "DOCKER_CONFIG.\n";
  return out;
}

// ---- shell completion ----

namespace {

// Options of one command, as the shell sees them.
std::string Words(const std::string& command) {
  std::string out;
  for (const auto& o : Options()) {
    if (!o.For(command)) continue;
    out += (out.empty() ? "" : " ") + std::string("--") + o.name;
    if (o.short_name) out += std::string(" -") + o.short_name;
  }
  return out;
}

std::string Groupnames() {
  std::string out;
  for (const auto& g : Groups()) out += (out.empty() ? "" : " ") + g.name;
  return out;
}

std::string BashScript() {
  std::string s =
      "# bash completion for swrctl, generated by 'swrctl completion bash'\n"
      "_swrctl() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} group= sub= i w\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    w=${COMP_WORDS[i]}\n"
      "    case $w in -*) continue ;; esac\n"
      "    case \" $_swrctl_value_opts \" in *\" ${COMP_WORDS[i-1]} \"*) continue ;; esac\n"
      "    if [[ -z $group ]]; then group=$w; elif [[ -z $sub ]]; then sub=$w; fi\n"
      "  done\n"
      "  case \" $_swrctl_value_opts \" in *\" $prev \"*) COMPREPLY=($(compgen -f -- \"$cur\")); return ;; esac\n"
      "  if [[ -z $group ]]; then\n"
      "    COMPREPLY=($(compgen -W \"" + Groupnames() + " --help --version\" -- \"$cur\")); return\n"
      "  fi\n"
      "  local words\n"
      "  case \"$group $sub\" in\n";
  std::set<std::string> groups_with_subs;
  for (const auto& c : Commands()) {
    size_t sp = c.id.find(' ');
    if (sp == std::string::npos) {
      s += "    \"" + c.id + " \"*) words=\"" + Words(c.id) + "\" ;;\n";
    } else {
      s += "    \"" + c.id + "\") words=\"" + Words(c.id) + "\" ;;\n";
      groups_with_subs.insert(c.id.substr(0, sp));
    }
  }
  for (const auto& g : groups_with_subs) {
    s += "    \"" + g + " \") words=\"" + SubcommandsOf(g, " ") + "\" ;;\n";
  }
  s += "  esac\n";
  s += "  [[ $group == help && -z $sub ]] && words=\"" + Groupnames() + "\"\n";
  s += "  [[ $group == completion && -z $sub ]] && words=\"bash zsh fish\"\n";
  s += "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n";
  std::string value_opts;
  for (const auto& o : Options()) {
    if (!o.TakesValue()) continue;
    value_opts += (value_opts.empty() ? "" : " ") + std::string("--") + o.name;
    if (o.short_name) value_opts += std::string(" -") + o.short_name;
  }
  s += "_swrctl_value_opts=\"" + value_opts + "\"\n";
  s += "complete -F _swrctl swrctl\n";
  return s;
}

std::string FishScript() {
  std::string s = "# fish completion for swrctl, generated by 'swrctl completion fish'\ncomplete -c swrctl -f\n";
  for (const auto& g : Groups()) {
    s += "complete -c swrctl -n '__fish_use_subcommand' -a " + g.name + " -d '" + g.title.substr(g.title.find(':') + 2) +
         "'\n";
  }
  for (const auto& c : Commands()) {
    size_t sp = c.id.find(' ');
    std::string cond;
    if (sp == std::string::npos) {
      cond = "__fish_seen_subcommand_from " + c.id;
    } else {
      std::string group = c.id.substr(0, sp), sub = c.id.substr(sp + 1);
      s += "complete -c swrctl -n '__fish_seen_subcommand_from " + group + "; and not __fish_seen_subcommand_from " +
           SubcommandsOf(group, " ") + "' -a " + sub + "\n";
      cond = "__fish_seen_subcommand_from " + group + "; and __fish_seen_subcommand_from " + sub;
    }
    for (const auto& o : Options()) {
      if (!o.For(c.id) || o.commands.empty()) continue;
      s += "complete -c swrctl -n '" + cond + "' -l " + o.name;
      if (o.short_name) s += std::string(" -s ") + o.short_name;
      if (o.TakesValue()) s += " -r -F";
      std::string help = o.help.substr(0, o.help.find_first_of(";(")), quoted;
      for (char ch : help) quoted += ch == '\'' ? std::string("\\'") : std::string(1, ch);
      s += " -d '" + quoted + "'\n";
    }
  }
  s += "complete -c swrctl -s h -l help -d 'show help'\n";
  return s;
}

}  // namespace

std::string Completion(const std::string& shell) {
  if (shell == "bash") return BashScript();
  if (shell == "zsh") {
    return "# zsh completion for swrctl (bash's, through bashcompinit), generated by 'swrctl completion zsh'\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           BashScript();
  }
  if (shell == "fish") return FishScript();
  return "";
}

}  // namespace swrctl
