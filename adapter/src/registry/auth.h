// Registry authentication: WWW-Authenticate challenges and bearer tokens,
// cached per scope.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/log.h"
#include "common/status.h"
#include "common/url.h"
#include "http/transport.h"

namespace swr::registry {

struct Challenge {
  std::string scheme;                         // lower case: "bearer", "basic"
  std::map<std::string, std::string> params;  // keys lower case: realm, service, scope
};

// Parses a WWW-Authenticate value (one or more challenges).
std::vector<Challenge> ParseWwwAuthenticate(std::string_view value);

// A registry user and password (SWR's project/AK/SK are swr::Credentials).
struct BasicCredentials {
  std::string username;  // empty: anonymous
  std::string password;
};

// Gets and caches the Authorization header for a set of scopes.
class Authenticator {
 public:
  Authenticator(std::shared_ptr<http::Transport> transport, Url registry, BasicCredentials creds,
                std::chrono::seconds default_token_lifetime, std::shared_ptr<Clock> clock, Logger logger);

  // The Authorization value for these scopes, or "" when the registry has
  // not asked for authentication (yet).
  StatusOr<std::string> HeaderFor(const std::vector<std::string>& scopes);
  // Learns from a 401 response to a request sent to `from`; forgets the
  // cached token for these scopes. Challenges are learned only from the
  // registry's own origin, and the first one pins the realm: a later
  // challenge cannot send credentials anywhere else. Returns false when the
  // response teaches nothing usable (a retry would not help).
  bool OnUnauthorized(const http::Response& response, const std::vector<std::string>& scopes, const Url& from);
  // Whether Authorization may go to `url`: the registry's own origin only.
  bool MayAuthorize(const Url& url) const;

 private:
  StatusOr<std::string> FetchToken(const std::vector<std::string>& scopes);
  // OnUnauthorized's work, under mu_; *moved when a challenge tried to move the realm.
  bool Learn(const http::Response& response, const std::vector<std::string>& scopes, const Url& from, bool* moved);

  std::shared_ptr<http::Transport> transport_;
  Url registry_;
  BasicCredentials creds_;
  std::chrono::seconds default_lifetime_;
  std::shared_ptr<Clock> clock_;
  Logger logger_;

  std::mutex mu_;
  std::optional<Challenge> challenge_;
  struct Token {
    std::string value;
    std::chrono::system_clock::time_point expires;
  };
  std::map<std::string, Token> tokens_;
};

}  // namespace swr::registry
