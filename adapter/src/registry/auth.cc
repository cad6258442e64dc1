#include "registry/auth.h"

#include <fmt/format.h>

#include "common/base64.h"
#include "common/json.h"
#include "http/error_body.h"

namespace swr::registry {
namespace {

constexpr size_t kMaxTokenResponseBytes = 64 << 10;
constexpr size_t kMaxTokenBytes = 16 << 10;
constexpr size_t kMaxCachedTokens = 512;

}  // namespace

std::vector<Challenge> ParseWwwAuthenticate(std::string_view v) {
  std::vector<Challenge> out;
  size_t i = 0;
  auto skip_ws = [&] {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) ++i;
  };
  while (true) {
    skip_ws();
    if (i >= v.size()) break;
    size_t start = i;
    while (i < v.size() && v[i] != ' ' && v[i] != ',' && v[i] != '=') ++i;
    std::string token(v.substr(start, i - start));
    // A token followed by '=' is a parameter of the current challenge.
    size_t j = i;
    while (j < v.size() && v[j] == ' ') ++j;
    if (j < v.size() && v[j] == '=' && !out.empty()) {
      i = j + 1;
      while (i < v.size() && v[i] == ' ') ++i;
      std::string value;
      if (i < v.size() && v[i] == '"') {
        ++i;
        while (i < v.size() && v[i] != '"') {
          if (v[i] == '\\' && i + 1 < v.size()) ++i;
          value.push_back(v[i++]);
        }
        ++i;  // closing quote
      } else {
        size_t vs = i;
        while (i < v.size() && v[i] != ',' && v[i] != ' ') ++i;
        value = std::string(v.substr(vs, i - vs));
      }
      out.back().params[ToLower(token)] = value;
      continue;
    }
    Challenge c;
    c.scheme = ToLower(token);
    out.push_back(std::move(c));
  }
  return out;
}

Authenticator::Authenticator(std::shared_ptr<http::Transport> transport, Url registry, BasicCredentials creds,
                             std::chrono::seconds default_token_lifetime, std::shared_ptr<Clock> clock, Logger logger)
    : transport_(std::move(transport)),
      registry_(std::move(registry)),
      creds_(std::move(creds)),
      default_lifetime_(default_token_lifetime),
      clock_(std::move(clock)),
      logger_(std::move(logger)) {}

bool Authenticator::MayAuthorize(const Url& url) const {
  return url.scheme == registry_.scheme && url.host == registry_.host &&
         url.EffectivePort() == registry_.EffectivePort();
}

static std::string ScopeKey(const std::vector<std::string>& scopes) {
  std::string key;
  for (const auto& s : scopes) key += s + " ";
  return key;
}

StatusOr<std::string> Authenticator::HeaderFor(const std::vector<std::string>& scopes) {
  std::optional<Challenge> challenge;
  {
    std::lock_guard<std::mutex> lock(mu_);
    challenge = challenge_;
    if (challenge && challenge->scheme == "bearer") {
      auto it = tokens_.find(ScopeKey(scopes));
      // Renew a little early so a long request does not start with a dying token.
      if (it != tokens_.end() && clock_->Now() + std::chrono::seconds(30) < it->second.expires) {
        return "Bearer " + it->second.value;
      }
    }
  }
  if (!challenge) return std::string();
  if (challenge->scheme == "basic") {
    if (creds_.username.empty())
      return Status(Code::kUnauthenticated, "the registry asks for a user name and password");
    return "Basic " + Base64Encode(creds_.username + ":" + creds_.password);
  }
  if (challenge->scheme != "bearer") {
    return Status(Code::kUnsupported, "unsupported registry authentication scheme '" + challenge->scheme + "'");
  }
  auto token = FetchToken(scopes);
  if (!token.ok()) return token.status();
  return "Bearer " + *token;
}

bool Authenticator::OnUnauthorized(const http::Response& response, const std::vector<std::string>& scopes,
                                   const Url& from) {
  bool moved = false, learned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    learned = Learn(response, scopes, from, &moved);
  }
  // Logged outside the lock: a log callback may call back into the library.
  if (moved)
    logger_.Log(LogLevel::kWarn, "the registry announced a different authentication realm; keeping the first one");
  return learned;
}

bool Authenticator::Learn(const http::Response& response, const std::vector<std::string>& scopes, const Url& from,
                          bool* moved) {
  tokens_.erase(ScopeKey(scopes));
  // Only the registry itself says how to authenticate to it: a 401 from a
  // redirect target or a foreign upload location teaches nothing.
  if (!MayAuthorize(from)) return false;
  const std::string* h = response.Header("WWW-Authenticate");
  if (!h) return challenge_.has_value();
  for (auto& c : ParseWwwAuthenticate(*h)) {
    if (c.scheme != "bearer" && c.scheme != "basic") continue;
    c.params.erase("scope");  // we ask for our own scopes
    if (challenge_ && (challenge_->scheme != c.scheme || challenge_->params["realm"] != c.params["realm"])) {
      // The first challenge pins where credentials go; a later one may not
      // move them elsewhere.
      *moved = true;
      return true;
    }
    challenge_ = std::move(c);
    return true;
  }
  return challenge_.has_value();
}

StatusOr<std::string> Authenticator::FetchToken(const std::vector<std::string>& scopes) {
  Challenge c;
  {
    std::lock_guard<std::mutex> lock(mu_);
    c = *challenge_;
  }
  auto realm = ParseUrl(c.params["realm"]);
  if (!realm.ok() || c.params["realm"].empty()) {
    return Status(Code::kProtocol, "the registry's bearer challenge has no usable realm");
  }
  if (realm->scheme == "http" && registry_.scheme == "https") {
    return Status(Code::kProtocol, "the registry's token realm is plain http; refusing to send credentials");
  }
  std::vector<std::pair<std::string, std::string>> query = ParseQuery(realm->query);
  if (!c.params["service"].empty()) query.emplace_back("service", c.params["service"]);
  for (const auto& s : scopes) query.emplace_back("scope", s);
  http::Request req;
  req.method = "GET";
  req.url = realm->Origin() + (realm->path.empty() ? "/" : realm->path) + "?" + BuildQuery(query);
  if (!creds_.username.empty()) {
    req.SetHeader("Authorization", "Basic " + Base64Encode(creds_.username + ":" + creds_.password));
  }
  req.max_response_bytes = kMaxTokenResponseBytes;
  auto started = clock_->Now();
  auto resp = transport_->Send(req);
  if (!resp.ok()) return resp.status();
  if (!resp->ok()) return ErrorFromResponse(*resp, "get a registry token");
  auto json = Json::Parse(resp->body);
  if (!json.ok()) return Status(Code::kProtocol, "registry token: " + json.status().message());
  std::string token = json->GetString("token", json->GetString("access_token"));
  if (token.empty()) return Status(Code::kProtocol, "registry token: the response has no token");
  logger_.redactor().AddToken(token);
  // It goes into a header line: visible ASCII only, nothing that could end the line.
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) return Status(Code::kProtocol, "registry token: the token has invalid characters");
  }
  if (token.size() > kMaxTokenBytes) return Status(Code::kProtocol, "registry token: the token is too long");
  // The lifetime counts from our own clock: issued_at is the server's.
  int64_t expires_in = json->GetInt("expires_in", 0);
  auto lifetime = expires_in > 0 ? std::chrono::seconds(std::min<int64_t>(expires_in, 24 * 3600)) : default_lifetime_;
  std::lock_guard<std::mutex> lock(mu_);
  auto now = clock_->Now();
  if (tokens_.size() >= kMaxCachedTokens) {
    for (auto it = tokens_.begin(); it != tokens_.end();) {
      it = it->second.expires <= now ? tokens_.erase(it) : std::next(it);
    }
    while (tokens_.size() >= kMaxCachedTokens) {
      auto oldest = tokens_.begin();
      for (auto it = tokens_.begin(); it != tokens_.end(); ++it) {
        if (it->second.expires < oldest->second.expires) oldest = it;
      }
      tokens_.erase(oldest);
    }
  }
  tokens_[ScopeKey(scopes)] = Token{token, started + lifetime};
  return token;
}

}  // namespace swr::registry
