#include "endpoint.h"

#include <iostream>

#include "registry/docker_config.h"
#include "registry/factory.h"

namespace swrctl {

std::string ReadEndpointFlags(const Args& args, EndpointFlags* f) {
  if (std::string e = ReadCredentials(args, &f->creds); !e.empty()) return e;
  if (args.Has("secret-kind")) {
    const std::string kind = args.Get("secret-kind");
    if (kind == "auto") {
      f->secret_kind = swr::SecretKind::kAuto;
    } else if (kind == "sk") {
      f->secret_kind = swr::SecretKind::kSecretKey;
    } else if (kind == "login-key") {
      f->secret_kind = swr::SecretKind::kLoginKey;
    } else if (kind == "temporary") {
      f->secret_kind = swr::SecretKind::kTemporary;
    } else {
      return "--secret-kind must be auto, sk, login-key or temporary";
    }
  }
  f->management_url = args.Get("management-url");
  if (args.Has("ca-file") && !ReadFile(args.Get("ca-file"), &f->connection.ca_pem)) {
    return "cannot read --ca-file '" + args.Get("ca-file") + "'";
  }
  if (args.Has("timeout")) {
    long long seconds = 0;
    if (!ParseNumber(args.Get("timeout"), 1, 86400, &seconds)) {
      return "--timeout must be a number of seconds from 1 to 86400";
    }
    f->connection.timeout = std::chrono::seconds(seconds);
  }
  if (args.Has("format") && !swr::ParseSignatureFormat(args.Get("format"), &f->signing.format)) {
    return "--format must be 'access' or 'credential'";
  }
  f->connection.proxy = args.Get("proxy");
  f->signing.region = args.Get("region");
  f->signing.service = args.Get("service");
  f->connection.log_level = args.Has("verbose") ? swr::LogLevel::kDebug : swr::LogLevel::kWarn;
  f->connection.log_sink = [](swr::LogLevel, const std::string& line) { std::cerr << "swrctl: " << line << "\n"; };
  f->connection.redactor = SharedRunRedactor();
  return "";
}

namespace {

swr::http::ConnectionOptions ConnectionFor(const EndpointFlags& f, const EndpointSpec& spec) {
  swr::http::ConnectionOptions c = f.connection;
  c.insecure = spec.insecure;
  c.allow_plain_http = spec.plain_http;
  c.allow_insecure_redirects = spec.insecure_redirects;
  c.host_limits = spec.limits;
  return c;
}

}  // namespace

swr::StatusOr<std::unique_ptr<swr::Client>> MakeSwrEndpoint(const EndpointFlags& f, const EndpointSpec& spec) {
  swr::ClientConfig cfg;
  cfg.registry_url = spec.url;
  if (!spec.access_id.empty()) {
    cfg.access_id = spec.access_id;
    cfg.access_secret = spec.secret;
  } else {
    if (f.creds.access_key.empty() || f.creds.secret_key.empty() || f.creds.project.empty()) {
      return swr::Status(swr::Code::kInvalidArgument,
                         "set OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME (or --access-key, --secret-key-file "
                         "and --project-name)");
    }
    cfg.access_id = f.creds.project + "@" + f.creds.access_key;
    cfg.access_secret = f.creds.secret_key;
    cfg.secret_kind = f.secret_kind;
    cfg.project_id = f.creds.project_id;
  }
  cfg.management_url = f.management_url;
  cfg.signing = f.signing;
  cfg.connection = ConnectionFor(f, spec);
  // The client teaches the run's redactor (connection.redactor) its secret
  // and login key; the registry client its password.
  return swr::Client::Create(std::move(cfg));
}

swr::StatusOr<std::shared_ptr<swr::registry::RegistryClient>> MakeRegistryEndpoint(const EndpointFlags& f,
                                                                                   const EndpointSpec& spec) {
  swr::registry::RegistryConfig rc;
  rc.url = spec.url;
  rc.credentials = spec.basic;
  rc.connection = ConnectionFor(f, spec);
  return swr::registry::MakeRegistryClient(rc);
}

std::optional<swr::registry::BasicCredentials> DockerConfigFor(const std::string& host) {
  std::string dir = Env("DOCKER_CONFIG");
  if (dir.empty()) {
    std::string home = Env("HOME");
    if (home.empty()) return std::nullopt;
    dir = home + "/.docker";
  }
  std::string text;
  if (!ReadFile(dir + "/config.json", &text)) return std::nullopt;
  return swr::registry::DockerConfigCredentials(text, host);
}

}  // namespace swrctl

namespace swrctl {

swr::StatusOr<std::unique_ptr<swr::Client>> MakeClientFromArgs(const Args& args) {
  EndpointSpec spec;
  spec.url = args.Get("registry", Env("SWR_REGISTRY"));
  if (spec.url.empty())
    return swr::Status(swr::Code::kInvalidArgument, "this command needs --registry URL (or SWR_REGISTRY)");
  spec.insecure = args.Has("insecure");
  spec.plain_http = args.Has("plain-http");
  EndpointFlags flags;
  if (std::string e = ReadEndpointFlags(args, &flags); !e.empty()) return swr::Status(swr::Code::kInvalidArgument, e);
  return MakeSwrEndpoint(flags, spec);
}

}  // namespace swrctl
