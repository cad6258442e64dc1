// swrctl: SWR work without Harbor. Exit codes: 0 success, 1 the operation
// failed (message on stderr), 2 usage error.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "args.h"
#include "cli_util.h"
#include "copy_command.h"
#include "sync_command.h"
#include "auth/credentials.h"
#include "auth/signer.h"
#include "common/json.h"
#include "common/url.h"
#include "swr/client.h"

namespace {

using swrctl::CredentialInput;
using swrctl::Env;
using swrctl::ReadCredentials;
using swrctl::Fail;
using swrctl::kExitOk;
using swrctl::ReadFile;
using swrctl::Usage;

const char kUsage[] = R"(swrctl: Open Telekom Cloud SWR from the command line

Usage (swrctl help COMMAND, or COMMAND --help, for one command):
  swrctl sign --method M --url URL [--header 'Name: value']... [--data-file F]
              [--date YYYYMMDDTHHMMSSZ] [--format access|credential]
              [--region R] [--service S] [--signed-headers a;b] [--verbose]
  swrctl login-key [--docker --registry HOST]   (--docker prints a pipe into
                        docker login --password-stdin; the key stays off command lines)
  swrctl --registry URL [--insecure] [--ca-file F] org list [--json]
  swrctl --registry URL [--insecure] [--ca-file F] org create|delete|get NAME
  swrctl --registry URL repo list ORG | repo delete ORG REPO
  swrctl --registry URL tag list ORG REPO | tag delete ORG REPO TAG
                        (deletes use SWR's management API; an organization can be
                        deleted once its repositories are gone)
  swrctl --registry URL login-key --temporary [--docker]
                        SWR's temporary docker login (valid for hours)
  swrctl copy [options] SOURCE DEST     (references: host[:port]/path[:tag|@digest])
  swrctl sync --auth FILE --images FILE [options]
                        many images at once, from image-syncer's files

Copy options: swrctl help copy. Sync options: swrctl help sync.

Credentials come from OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME
(OS_PROJECT_ID is sent as X-Project-Id when set); --access-key,
--secret-key-file F ("-": stdin), --project-name and --project-id override
them (--secret-key VALUE works too but is visible in ps). The registry URL may
also come from SWR_REGISTRY. Secrets are never printed.

Common options:
  --registry URL        registry host, e.g. https://swr.eu-de.otc.t-systems.com
  --management-url URL  API host when it is not derived from the registry (swr. -> swr-api.)
  --insecure            do not verify TLS certificates (copy: both ends)
  --plain-http          allow http:// to a host other than this machine
  --ca-file F           trust the CA certificates in PEM file F
  --format F            signature format: access (default) or credential
  --secret-kind K       what OS_SECRET_KEY holds: auto (default: 64 hex digits are a
                        long-term login key, "temp:..." a temporary password, else
                        the SK), sk, login-key, temporary
  --timeout SECONDS     per request (default 60)
  --verbose             log requests (redacted) to stderr
  --help, --version

Exit codes: 0 success, 1 operation failed, 2 usage error.
)";

// Each command's own help (swrctl help CMD, swrctl CMD --help).
const std::map<std::string, std::string>& CommandHelp() {
  static const auto* help = new std::map<std::string, std::string>{
      {"sign", R"(swrctl sign: the SDK-HMAC-SHA256 Authorization header for one request

Usage (swrctl help COMMAND, or COMMAND --help, for one command):
  swrctl sign --method M --url URL [--header 'Name: value']... [--data-file F]
              [--date YYYYMMDDTHHMMSSZ] [--format access|credential]
              [--region R] [--service S] [--signed-headers a;b] [--verbose]

Prints the Authorization header value; --verbose also prints the canonical
request and the string to sign on stderr. Needs OS_ACCESS_KEY and
OS_SECRET_KEY (or --access-key and --secret-key-file).
)"},
      {"login-key", R"(swrctl login-key: SWR's docker login password

Usage:
  swrctl login-key                      the long-term login key (hex HMAC-SHA256 of the AK with the SK)
  swrctl login-key --docker --registry HOST
                        prints "swrctl login-key | docker login --username P@AK --password-stdin HOST"
                        (the key goes through a pipe, never onto a command line)
  swrctl --registry URL login-key --temporary [--docker]
                        SWR's temporary docker login (valid for hours)

Needs OS_ACCESS_KEY, OS_SECRET_KEY (and OS_PROJECT_NAME for --docker).
)"},
      {"org", R"(swrctl org: SWR organizations (namespaces)

Usage:
  swrctl --registry URL org list [--json]
  swrctl --registry URL org get NAME
  swrctl --registry URL org create NAME
  swrctl --registry URL org delete NAME     (once its repositories are gone)
)"},
      {"repo", R"(swrctl repo: SWR repositories

Usage:
  swrctl --registry URL repo list ORG
  swrctl --registry URL repo delete ORG REPO   (with every image in it)
)"},
      {"tag", R"(swrctl tag: tags of an SWR repository

Usage:
  swrctl --registry URL tag list ORG REPO      (tag, digest, size)
  swrctl --registry URL tag delete ORG REPO TAG
)"},
      {"copy", R"(swrctl copy: one image (a manifest, a manifest list or an OCI index) between registries

Usage:
  swrctl copy [options] SOURCE DEST     (references: host[:port]/path[:tag|@digest])

Blobs the destination has are skipped, blobs it holds in another repository
are mounted, the rest stream with bounded memory; manifests go last. The
destination's digest is printed on stdout. For an SWR destination the
organization is created (after the source was read) unless --no-create-org.

Options:
  --src-plain-http, --dest-plain-http   use http:// (loopback registries)
  --src-insecure, --dest-insecure       do not verify TLS certificates
  --ca-file F           trust the CA certificates in PEM file F (both ends)
  --src-creds-file F, --dest-creds-file F
                        USER:PASSWORD from file F ("-": stdin); otherwise
                        ~/.docker/config.json auths, else anonymous
  --src-creds USER:PASS, --dest-creds USER:PASS
                        the same on the command line (visible in ps: warned about)
  --src-swr, --dest-swr this end is SWR (automatic for swr.<region>.otc.t-systems.com):
                        it uses OS_ACCESS_KEY / OS_SECRET_KEY / OS_PROJECT_NAME
  --management-url URL  SWR's API host when it is not derived from the registry
  --no-create-org       do not create a missing SWR organization at the destination
  --parallel N          blobs in flight at once (default 4)
  --chunk-size BYTES    resumable chunked uploads instead of one streamed PUT per blob
  --verify              also hash every blob as it is read (the destination checks
                        each digest anyway; this costs CPU)
  --quiet               no progress; the destination digest is still printed
  --timeout SECONDS     per request (default 60)
  --deadline SECONDS    fail when the whole copy takes longer
  --min-rate BYTES      fail a blob transfer slower than this many bytes/s over
                        the --timeout window, naming the slow side (default
                        65536; 0: only a complete stall fails)
  --allow-insecure-redirect
                        follow a source's https -> http blob redirects
  --verbose             log requests (redacted) to stderr
)"},
      {"sync", R"(swrctl sync: many images at once, from image-syncer's auth and images files

Usage:
  swrctl sync --auth FILE --images FILE [options]
  swrctl sync --config FILE [options]          (image-syncer's older single file)
  swrctl sync --auth FILE --retry-failed REPORT [options]

Files (JSON or YAML, as image-syncer reads them):
  auth    registry or registry/namespace (longest match wins) -> username,
          password, insecure (an http registry, or TLS not verified); ${VAR}
          and $VAR are taken from the environment. For SWR: username
          '<project>@<AK>' and password the SK (or the login key); without an
          entry SWR hosts use OS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME.
  images  source -> destination, or a list of destinations. A source without
          tag means all its tags, repo:t1,t2 a list, repo@sha256:... a digest;
          a destination without tag keeps the source's.

Options:
  --proc N              images and blob transfers at once (default 5)
  --retries N           rounds of retrying failed images after the pass (default 2)
  --os OS, --arch ARCH  keep these platforms of manifest lists (repeatable)
  --force               copy even when the destination has the same digest (missing
                        blobs are copied, every manifest is pushed again)
  --oci-index-to-docker-list
                        convert OCI indexes (and OCI manifests) to Docker's formats,
                        where nothing is lost; SWR refuses OCI indexes (digests change)
  --dry-run             print the plan: what would be copied, mounted, skipped, sizes,
                        with --os/--arch and conversion applied; nothing is written
  --report FILE         JSON: per image source, destination, status, digest, bytes,
                        blobs copied/mounted/skipped, duration, error
  --retry-failed REPORT run the failed and unfinished images of an earlier report
  --output-success-images FILE, --output-images-format json|yaml
                        the images that arrived, in image-syncer's images format
  --swr-host HOST       treat HOST as SWR (automatic for swr.<region>.otc.t-systems.com)
  --swr-rate N          requests per second to SWR (default 20, SWR's published limit);
                        429/503 answers slow a host down further
  --management-url URL, --ca-file F, --timeout SECONDS, --quiet, --verbose

Each blob crosses the wire once per destination registry (later images mount
it); a rerun with nothing changed costs one HEAD per tag at each end. Ctrl-C
stops cleanly (a second one quits at once). Exit codes: 0 all images there,
1 some failed (listed on stderr and in the report), 2 usage error, 130 interrupted.
)"},
  };
  return *help;
}

int Help(const std::string& command) {
  if (command.empty()) {
    std::cout << kUsage;
    return kExitOk;
  }
  auto it = CommandHelp().find(command);
  if (it == CommandHelp().end()) return Usage("no help for '" + command + "': commands are sign, login-key, org, repo, tag, copy, sync");
  std::cout << it->second;
  return kExitOk;
}

int CmdSign(const swrctl::Args& args) {
  if (args.positional().size() != 1) return Usage("sign takes no positional arguments");
  std::string method = args.Get("method"), url = args.Get("url");
  if (method.empty() || url.empty()) return Usage("sign needs --method and --url");
  CredentialInput c;
  if (std::string e = ReadCredentials(args, &c); !e.empty()) return Usage(e);
  if (c.access_key.empty() || c.secret_key.empty()) {
    return Usage("sign needs OS_ACCESS_KEY and OS_SECRET_KEY (or --access-key and --secret-key-file)");
  }
  swr::SignableRequest req;
  req.method = method;
  req.url = url;
  for (const auto& h : args.GetAll("header")) {
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0) return Usage("--header must look like 'Name: value', got '" + h + "'");
    req.headers.emplace_back(swr::Trim(h.substr(0, colon)), swr::Trim(h.substr(colon + 1)));
  }
  std::string body;
  if (args.Has("data-file")) {
    if (!ReadFile(args.Get("data-file"), &body)) return Fail("cannot read --data-file '" + args.Get("data-file") + "'");
  }
  req.body = body;
  if (args.Has("date")) req.headers.emplace_back("X-Sdk-Date", args.Get("date"));
  swr::SigningOptions opts;
  if (args.Has("format") && !swr::ParseSignatureFormat(args.Get("format"), &opts.format)) {
    return Usage("--format must be 'access' or 'credential'");
  }
  opts.region = args.Get("region");
  opts.service = args.Get("service");
  if (args.Has("signed-headers")) {
    std::string list = args.Get("signed-headers");
    size_t start = 0;
    while (start <= list.size()) {
      size_t semi = list.find(';', start);
      if (semi == std::string::npos) semi = list.size();
      if (semi > start) opts.signed_headers.push_back(list.substr(start, semi - start));
      start = semi + 1;
    }
    if (opts.signed_headers.empty()) return Usage("--signed-headers is empty");
  }
  swr::Signer signer(c.access_key, c.secret_key);
  auto signed_req = signer.Sign(req, opts);
  if (!signed_req.ok()) {
    return signed_req.status().code() == swr::Code::kInvalidArgument ? Usage(signed_req.status().message())
                                                                     : Fail(signed_req.status().ToString());
  }
  if (args.Has("verbose")) {
    std::cerr << "X-Sdk-Date: " << signed_req->sdk_date << "\n"
              << "Host: " << signed_req->host << "\n"
              << "--- canonical request ---\n" << signed_req->canonical_request << "\n"
              << "--- string to sign ---\n" << signed_req->string_to_sign << "\n";
  }
  std::cout << signed_req->authorization << "\n";
  return kExitOk;
}

swr::StatusOr<std::unique_ptr<swr::Client>> MakeClient(const swrctl::Args& args, std::string* usage_error);

// login-key --temporary: SWR's temporary docker login (valid for hours).
int CmdTemporaryLogin(const swrctl::Args& args) {
  std::string usage_error;
  auto client = MakeClient(args, &usage_error);
  if (!client.ok()) return Usage(usage_error);
  auto login = (*client)->management().TemporaryLogin();
  if (!login.ok()) return Fail(login.status().ToString());
  if (!args.Has("docker")) {
    std::cout << login->password << "\n";
    if (!login->expires_at.empty()) std::cerr << "valid until " << login->expires_at << "\n";
    return kExitOk;
  }
  std::string host = login->registry.empty() ? swr::ParseUrl((*client)->registry().Origin())->Authority() : login->registry;
  std::cout << "swrctl login-key --temporary | docker login --username " << login->username << " --password-stdin "
            << host << "\n";
  return kExitOk;
}

int CmdLoginKey(const swrctl::Args& args) {
  if (args.positional().size() != 1) return Usage("login-key takes no positional arguments");
  if (args.Has("temporary")) return CmdTemporaryLogin(args);
  CredentialInput c;
  if (std::string e = ReadCredentials(args, &c); !e.empty()) return Usage(e);
  if (c.access_key.empty() || c.secret_key.empty()) {
    return Usage("login-key needs OS_ACCESS_KEY and OS_SECRET_KEY (or --access-key and --secret-key-file)");
  }
  std::string key = swr::LoginKey(c.access_key, c.secret_key);
  if (!args.Has("docker")) {
    std::cout << key << "\n";
    return kExitOk;
  }
  if (c.project.empty()) return Usage("login-key --docker needs OS_PROJECT_NAME (or --project-name), e.g. eu-de");
  std::string registry = args.Get("registry", Env("SWR_REGISTRY"));
  if (registry.empty()) return Usage("login-key --docker needs --registry HOST");
  auto url = swr::ParseUrl(registry);
  if (!url.ok()) return Usage("--registry: " + url.status().message());
  // The key goes through a pipe, never onto a command line (ps, shell history).
  std::cout << "swrctl login-key | docker login --username " << c.project << "@" << c.access_key
            << " --password-stdin " << url->Authority() << "\n";
  return kExitOk;
}

swr::StatusOr<std::unique_ptr<swr::Client>> MakeClient(const swrctl::Args& args, std::string* usage_error) {
  swr::ClientConfig cfg;
  cfg.registry_url = args.Get("registry", Env("SWR_REGISTRY"));
  if (cfg.registry_url.empty()) {
    *usage_error = "this command needs --registry URL (or SWR_REGISTRY)";
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  CredentialInput c;
  if (std::string e = ReadCredentials(args, &c); !e.empty()) {
    *usage_error = e;
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  if (c.access_key.empty() || c.secret_key.empty() || c.project.empty()) {
    *usage_error = "this command needs OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME";
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  cfg.access_id = c.project + "@" + c.access_key;
  cfg.access_secret = c.secret_key;
  cfg.project_id = c.project_id;
  if (args.Has("secret-kind")) {
    std::string kind = args.Get("secret-kind");
    if (kind == "auto") {
      cfg.secret_kind = swr::SecretKind::kAuto;
    } else if (kind == "sk") {
      cfg.secret_kind = swr::SecretKind::kSecretKey;
    } else if (kind == "login-key") {
      cfg.secret_kind = swr::SecretKind::kLoginKey;
    } else if (kind == "temporary") {
      cfg.secret_kind = swr::SecretKind::kTemporary;
    } else {
      *usage_error = "--secret-kind must be auto, sk, login-key or temporary";
      return swr::Status(swr::Code::kInvalidArgument, *usage_error);
    }
  }
  cfg.management_url = args.Get("management-url");
  cfg.insecure = args.Has("insecure");
  cfg.allow_plain_http = args.Has("plain-http");
  cfg.redactor = swrctl::SharedRunRedactor();
  if (args.Has("ca-file") && !ReadFile(args.Get("ca-file"), &cfg.ca_pem)) {
    *usage_error = "cannot read --ca-file '" + args.Get("ca-file") + "'";
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  if (args.Has("format") && !swr::ParseSignatureFormat(args.Get("format"), &cfg.signing.format)) {
    *usage_error = "--format must be 'access' or 'credential'";
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  cfg.signing.region = args.Get("region");
  cfg.signing.service = args.Get("service");
  if (args.Has("timeout")) {
    long long seconds = 0;
    if (!swrctl::ParseNumber(args.Get("timeout"), 1, 86400, &seconds)) {
      *usage_error = "--timeout must be a number of seconds from 1 to 86400";
      return swr::Status(swr::Code::kInvalidArgument, *usage_error);
    }
    cfg.timeout = std::chrono::seconds(seconds);
  }
  if (args.Has("verbose")) {
    cfg.log_level = swr::LogLevel::kDebug;
    cfg.log_sink = [](swr::LogLevel, const std::string& line) { std::cerr << line << "\n"; };
  } else {
    cfg.log_level = swr::LogLevel::kWarn;
    cfg.log_sink = [](swr::LogLevel, const std::string& line) { std::cerr << "swrctl: " << line << "\n"; };
  }
  auto client = swr::Client::Create(std::move(cfg));
  if (!client.ok()) *usage_error = client.status().message();
  return client;
}

int CmdOrg(const swrctl::Args& args) {
  const auto& pos = args.positional();
  if (pos.size() < 2) return Usage("org needs a subcommand: list, get, create or delete");
  const std::string& sub = pos[1];
  if (sub == "list") {
    if (pos.size() != 2) return Usage("org list takes no further arguments");
  } else if (sub == "create" || sub == "delete" || sub == "get") {
    if (pos.size() != 3) return Usage("org " + sub + " needs exactly one organization name");
  } else {
    return Usage("unknown org subcommand '" + sub + "'");
  }
  std::string usage_error;
  auto client = MakeClient(args, &usage_error);
  if (!client.ok()) return Usage(usage_error);
  auto& mgmt = (*client)->management();
  auto fail = [&](const swr::Status& s) {
    return s.code() == swr::Code::kInvalidArgument && s.http_status() == 0 ? Usage(s.message()) : Fail(s.ToString());
  };
  if (sub == "list") {
    auto orgs = mgmt.ListOrganizations();
    if (!orgs.ok()) return fail(orgs.status());
    if (args.Has("json")) {
      swr::JsonWriter w;
      w.StartArray();
      for (const auto& o : *orgs) {
        w.StartObject().Key("id").Int(o.id).Key("name").String(o.name).Key("creator_name").String(o.creator_name)
            .Key("auth").Int(o.auth).EndObject();
      }
      w.EndArray();
      std::cout << w.str() << "\n";
    } else {
      for (const auto& o : *orgs) std::cout << o.name << "\n";
    }
    return kExitOk;
  }
  const std::string& name = pos[2];
  if (sub == "get") {
    auto o = mgmt.GetOrganization(name);
    if (!o.ok()) return fail(o.status());
    swr::JsonWriter w;
    w.StartObject().Key("id").Int(o->id).Key("name").String(o->name).Key("creator_name").String(o->creator_name)
        .Key("auth").Int(o->auth).EndObject();
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  swr::Status s = sub == "create" ? mgmt.CreateOrganization(name) : mgmt.DeleteOrganization(name);
  if (!s.ok()) return fail(s);
  std::cerr << (sub == "create" ? "created" : "deleted") << " organization " << name << "\n";
  return kExitOk;
}

// repo list ORG | repo delete ORG REPO | tag list ORG REPO | tag delete ORG REPO TAG
int CmdRepoOrTag(const swrctl::Args& args) {
  const auto& pos = args.positional();
  const std::string& noun = pos[0];
  if (pos.size() < 2) return Usage(noun + " needs a subcommand: list or delete");
  const std::string& sub = pos[1];
  size_t want = noun == "repo" ? (sub == "list" ? 3 : 4) : (sub == "list" ? 4 : 5);
  if ((sub != "list" && sub != "delete") || pos.size() != want) {
    return Usage(noun == "repo" ? "usage: swrctl repo list ORG | swrctl repo delete ORG REPO"
                                : "usage: swrctl tag list ORG REPO | swrctl tag delete ORG REPO TAG");
  }
  std::string usage_error;
  auto client = MakeClient(args, &usage_error);
  if (!client.ok()) return Usage(usage_error);
  auto& mgmt = (*client)->management();
  auto fail = [&](const swr::Status& s) {
    return s.code() == swr::Code::kInvalidArgument && s.http_status() == 0 ? Usage(s.message()) : Fail(s.ToString());
  };
  if (noun == "repo" && sub == "list") {
    auto repos = mgmt.ListRepositories(pos[2]);
    if (!repos.ok()) return fail(repos.status());
    for (const auto& r : *repos) std::cout << r.namespace_name << "/" << r.name << "\n";
    return kExitOk;
  }
  if (noun == "tag" && sub == "list") {
    auto tags = mgmt.ListTags(pos[2], pos[3]);
    if (!tags.ok()) return fail(tags.status());
    for (const auto& t : *tags) std::cout << t.tag << "\t" << t.digest << "\t" << t.size << "\n";
    return kExitOk;
  }
  swr::Status s = noun == "repo" ? mgmt.DeleteRepository(pos[2], pos[3]) : mgmt.DeleteTag(pos[2], pos[3], pos[4]);
  if (!s.ok()) return fail(s);
  std::cerr << "deleted " << (noun == "repo" ? "repository " + pos[2] + "/" + pos[3]
                                             : "tag " + pos[2] + "/" + pos[3] + ":" + pos[4])
            << "\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::set<std::string> with_value = {"method", "url", "header", "data-file", "date", "format", "region", "service",
                                        "signed-headers", "registry", "management-url", "ca-file", "access-key",
                                        "secret-key", "secret-key-file", "project-name", "project-id", "timeout",
                                        "secret-kind"};
    std::set<std::string> flags = {"verbose", "insecure", "plain-http", "json", "docker", "temporary", "help", "version"};
    for (const char* const* o = swrctl::kCopyValueOptions; *o; ++o) with_value.insert(*o);
    for (const char* const* f = swrctl::kCopyFlags; *f; ++f) flags.insert(*f);
    for (const char* const* o = swrctl::kSyncValueOptions; *o; ++o) with_value.insert(*o);
    for (const char* const* f = swrctl::kSyncFlags; *f; ++f) flags.insert(*f);
    swrctl::Args args(with_value, flags);
    if (!args.Parse(argc, argv, 1)) return Usage(args.error());
    if (args.Has("help")) return Help(args.positional().empty() ? "" : args.positional()[0]);
    if (args.Has("version")) {
      std::cout << "swrctl " << swr::DefaultUserAgent().substr(swr::DefaultUserAgent().find('/') + 1) << "\n";
      return kExitOk;
    }
    if (args.positional().empty()) return Usage("no command given");
    const std::string& cmd = args.positional()[0];
    if (cmd == "help") {
      if (args.positional().size() > 2) return Usage("help takes at most one command");
      return Help(args.positional().size() == 2 ? args.positional()[1] : "");
    }
    if (cmd == "sign") return CmdSign(args);
    if (cmd == "login-key") return CmdLoginKey(args);
    if (cmd == "org") return CmdOrg(args);
    if (cmd == "repo" || cmd == "tag") return CmdRepoOrTag(args);
    if (cmd == "copy") return swrctl::CmdCopy(args);
    if (cmd == "sync") return swrctl::CmdSync(args);
    return Usage("unknown command '" + cmd + "'");
  } catch (const std::exception& e) {
    return Fail(std::string("internal error: ") + e.what());
  }
}
