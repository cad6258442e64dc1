// swrctl: SWR work without Harbor. Exit codes: 0 success, 1 the operation
// failed (message on stderr), 2 usage error.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "args.h"
#include "cli_util.h"
#include "copy_command.h"
#include "auth/credentials.h"
#include "auth/signer.h"
#include "common/json.h"
#include "common/url.h"
#include "swr/client.h"

namespace {

using swrctl::Env;
using swrctl::Fail;
using swrctl::kExitOk;
using swrctl::ReadFile;
using swrctl::Usage;

const char kUsage[] = R"(swrctl: Open Telekom Cloud SWR from the command line

Usage:
  swrctl sign --method M --url URL [--header 'Name: value']... [--data-file F]
              [--date YYYYMMDDTHHMMSSZ] [--format access|credential]
              [--region R] [--service S] [--signed-headers a;b] [--verbose]
  swrctl login-key [--docker --registry HOST]
  swrctl --registry URL [--insecure] [--ca-file F] org list [--json]
  swrctl --registry URL [--insecure] [--ca-file F] org create|delete|get NAME
  swrctl copy [options] SOURCE DEST     (references: host[:port]/path[:tag|@digest])

Copy options:
  --src-plain-http, --dest-plain-http   use http:// (loopback registries)
  --src-insecure, --dest-insecure       do not verify TLS certificates
  --src-creds USER:PASS, --dest-creds USER:PASS
                        otherwise ~/.docker/config.json auths, else anonymous
  --src-swr, --dest-swr this end is SWR (automatic for swr.<region>.otc.t-systems.com):
                        it uses OS_ACCESS_KEY / OS_SECRET_KEY / OS_PROJECT_NAME
  --no-create-org       do not create a missing SWR organization at the destination
  --parallel N          blobs in flight at once (default 4)
  --chunk-size BYTES    resumable chunked uploads instead of one streamed PUT per blob
  --verify              also hash every blob as it is read (the destination checks
                        each digest anyway; this costs CPU)
  --quiet               no progress; the destination digest is still printed

Credentials come from OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME
(OS_PROJECT_ID is sent as X-Project-Id when set); --access-key, --secret-key,
--project-name and --project-id override them. The registry URL may also come
from SWR_REGISTRY. Secrets are never printed.

Common options:
  --registry URL        registry host, e.g. https://swr.eu-de.otc.t-systems.com
  --management-url URL  API host when it is not derived from the registry (swr. -> swr-api.)
  --insecure            do not verify TLS certificates
  --ca-file F           trust the CA certificates in PEM file F
  --format F            signature format: access (default) or credential
  --timeout SECONDS     per request (default 60)
  --verbose             log requests (redacted) to stderr
  --help, --version

Exit codes: 0 success, 1 operation failed, 2 usage error.
)";

struct CredentialInput {
  std::string access_key, secret_key, project;
};

CredentialInput CredentialsFrom(const swrctl::Args& args) {
  CredentialInput c;
  c.access_key = args.Get("access-key", Env("OS_ACCESS_KEY"));
  c.secret_key = args.Get("secret-key", Env("OS_SECRET_KEY"));
  c.project = args.Get("project-name", Env("OS_PROJECT_NAME"));
  return c;
}

int CmdSign(const swrctl::Args& args) {
  if (args.positional().size() != 1) return Usage("sign takes no positional arguments");
  std::string method = args.Get("method"), url = args.Get("url");
  if (method.empty() || url.empty()) return Usage("sign needs --method and --url");
  CredentialInput c = CredentialsFrom(args);
  if (c.access_key.empty() || c.secret_key.empty()) {
    return Usage("sign needs OS_ACCESS_KEY and OS_SECRET_KEY (or --access-key and --secret-key)");
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

int CmdLoginKey(const swrctl::Args& args) {
  if (args.positional().size() != 1) return Usage("login-key takes no positional arguments");
  CredentialInput c = CredentialsFrom(args);
  if (c.access_key.empty() || c.secret_key.empty()) {
    return Usage("login-key needs OS_ACCESS_KEY and OS_SECRET_KEY (or --access-key and --secret-key)");
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
  std::cout << "docker login -u " << c.project << "@" << c.access_key << " -p " << key << " " << url->Authority()
            << "\n";
  return kExitOk;
}

swr::StatusOr<std::unique_ptr<swr::Client>> MakeClient(const swrctl::Args& args, std::string* usage_error) {
  swr::ClientConfig cfg;
  cfg.registry_url = args.Get("registry", Env("SWR_REGISTRY"));
  if (cfg.registry_url.empty()) {
    *usage_error = "this command needs --registry URL (or SWR_REGISTRY)";
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  CredentialInput c = CredentialsFrom(args);
  if (c.access_key.empty() || c.secret_key.empty() || c.project.empty()) {
    *usage_error = "this command needs OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME";
    return swr::Status(swr::Code::kInvalidArgument, *usage_error);
  }
  cfg.access_id = c.project + "@" + c.access_key;
  cfg.access_secret = c.secret_key;
  cfg.project_id = args.Get("project-id", Env("OS_PROJECT_ID"));
  cfg.management_url = args.Get("management-url");
  cfg.insecure = args.Has("insecure");
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
    int seconds = std::atoi(args.Get("timeout").c_str());
    if (seconds <= 0) {
      *usage_error = "--timeout must be a positive number of seconds";
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
  const swr::Redactor& redactor = (*client)->logger().redactor();
  auto fail = [&](const swr::Status& s) {
    return s.code() == swr::Code::kInvalidArgument && s.http_status() == 0 ? Usage(redactor.Redact(s.message()))
                                                                           : Fail(redactor.Redact(s.ToString()));
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

}  // namespace

int main(int argc, char** argv) {
  try {
    std::set<std::string> with_value = {"method", "url", "header", "data-file", "date", "format", "region", "service",
                                        "signed-headers", "registry", "management-url", "ca-file", "access-key",
                                        "secret-key", "project-name", "project-id", "timeout"};
    std::set<std::string> flags = {"verbose", "insecure", "json", "docker", "help", "version"};
    for (const char* const* o = swrctl::kCopyValueOptions; *o; ++o) with_value.insert(*o);
    for (const char* const* f = swrctl::kCopyFlags; *f; ++f) flags.insert(*f);
    swrctl::Args args(with_value, flags);
    if (!args.Parse(argc, argv, 1)) return Usage(args.error());
    if (args.Has("help")) {
      std::cout << kUsage;
      return kExitOk;
    }
    if (args.Has("version")) {
      std::cout << "swrctl " << swr::DefaultUserAgent().substr(swr::DefaultUserAgent().find('/') + 1) << "\n";
      return kExitOk;
    }
    if (args.positional().empty()) return Usage("no command given");
    const std::string& cmd = args.positional()[0];
    if (cmd == "sign") return CmdSign(args);
    if (cmd == "login-key") return CmdLoginKey(args);
    if (cmd == "org") return CmdOrg(args);
    if (cmd == "copy") return swrctl::CmdCopy(args);
    return Usage("unknown command '" + cmd + "'");
  } catch (const std::exception& e) {
    return Fail(std::string("internal error: ") + e.what());
  }
}
