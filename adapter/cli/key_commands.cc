// swrctl sign and swrctl login-key: requests signed and docker passwords,
// from the credentials alone (login-key --temporary asks SWR).
#include <cctype>
#include <cstring>
#include <iostream>

#include "auth/credentials.h"
#include "auth/signer.h"
#include "cli_util.h"
#include "commands.h"
#include "common/url.h"
#include "endpoint.h"

namespace swrctl {

swr::StatusOr<std::string> DockerLoginLine(const std::string& producer, const std::string& username,
                                           const std::string& host) {
  auto plain = [](const std::string& v, const char* extra) {
    if (v.empty() || v.size() > 255) return false;
    for (char c : v) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr(extra, c)) return false;
    }
    return true;
  };
  if (!plain(username, "@._-")) {
    return swr::Status(swr::Code::kProtocol, "the user name is not of the form <project>@<AK>; not printed");
  }
  if (!plain(host, ".-:[]"))
    return swr::Status(swr::Code::kProtocol, "the registry host is not a host name; not printed");
  // Quoted as well, for whoever edits the line later.
  return producer + " | docker login --username '" + username + "' --password-stdin '" + host + "'";
}

int CmdSign(const Args& args) {
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
    if (colon == std::string::npos || colon == 0)
      return Usage("--header must look like 'Name: value', got '" + h + "'");
    req.headers.emplace_back(swr::Trim(h.substr(0, colon)), swr::Trim(h.substr(colon + 1)));
  }
  std::string body;
  if (args.Has("data-file") && !ReadFile(args.Get("data-file"), &body)) {
    return Fail("cannot read --data-file '" + args.Get("data-file") + "'");
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
    opts.signed_headers = swr::ParseSignedHeaders(args.Get("signed-headers"));
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
              << "--- canonical request ---\n"
              << signed_req->canonical_request << "\n"
              << "--- string to sign ---\n"
              << signed_req->string_to_sign << "\n";
  }
  std::cout << signed_req->authorization << "\n";
  return kExitOk;
}

namespace {

// login-key --temporary: SWR's temporary docker login (valid for hours).
int TemporaryLogin(const Args& args) {
  auto client = MakeClientFromArgs(args);
  if (!client.ok()) return FailOrUsage(client.status());
  auto login = (*client)->management().TemporaryLogin();
  if (!login.ok()) return Fail(login.status().ToString());
  if (!args.Has("docker")) {
    std::cout << login->password << "\n";
    if (!login->expires_at.empty() && !args.Has("quiet")) std::cerr << "valid until " << login->expires_at << "\n";
    return kExitOk;
  }
  std::string host =
      login->registry.empty() ? swr::ParseUrl((*client)->registry().Origin())->Authority() : login->registry;
  // Both come from the server: checked, and quoted, before they reach a
  // line the user may paste into a shell.
  auto line = DockerLoginLine("swrctl login-key --temporary", login->username, host);
  if (!line.ok()) return Fail(line.status().message());
  std::cout << *line << "\n";
  return kExitOk;
}

}  // namespace

int CmdLoginKey(const Args& args) {
  if (args.positional().size() != 1) return Usage("login-key takes no positional arguments");
  if (args.Has("temporary")) return TemporaryLogin(args);
  for (const char* o : {"insecure", "plain-http", "ca-file", "timeout", "management-url", "format", "region", "service",
                        "secret-kind"}) {
    if (args.Has(o)) return Usage(std::string("login-key takes --") + o + " only with --temporary (it asks SWR then)");
  }
  CredentialInput c;
  if (std::string e = ReadCredentials(args, &c); !e.empty()) return Usage(e);
  if (c.access_key.empty() || c.secret_key.empty()) {
    return Usage("login-key needs OS_ACCESS_KEY and OS_SECRET_KEY (or --access-key and --secret-key-file)");
  }
  std::string key = swr::LoginKey(c.access_key, c.secret_key);
  if (!args.Has("docker")) {
    if (args.Has("registry")) return Usage("login-key takes --registry with --docker or --temporary");
    std::cout << key << "\n";
    return kExitOk;
  }
  if (c.project.empty()) return Usage("login-key --docker needs OS_PROJECT_NAME (or --project-name), e.g. eu-de");
  std::string registry = args.Get("registry", Env("SWR_REGISTRY"));
  if (registry.empty()) return Usage("login-key --docker needs --registry HOST");
  auto url = swr::ParseUrl(registry);
  if (!url.ok()) return Usage("--registry: " + url.status().message());
  // The key goes through a pipe, never onto a command line (ps, shell history).
  auto line = DockerLoginLine("swrctl login-key", c.project + "@" + c.access_key, url->Authority());
  if (!line.ok()) return Usage(line.status().message());
  std::cout << *line << "\n";
  return kExitOk;
}

}  // namespace swrctl
