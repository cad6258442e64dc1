// The only file that knows cpprestsdk for buffered requests.
// fmt comes before cpprest, whose U() macro breaks fmt's templates.
#include <fmt/format.h>

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <cpprest/http_client.h>
#include <map>
#include <mutex>

#include "common/url.h"
#include "http/transport.h"

namespace swr::http {
namespace {

using web::http::client::http_client;
using web::http::client::http_client_config;

class CppRestTransport final : public Transport {
 public:
  explicit CppRestTransport(TransportOptions options) : options_(std::move(options)) {}

  StatusOr<Response> Send(const Request& request) override {
    try {
      return SendOrThrow(request);
    } catch (const web::http::http_exception& e) {
      return FromException(request, e.error_code(), e.what());
    } catch (const std::exception& e) {
      return Status(Code::kNetwork, fmt::format("{} {}: {}", request.method, Redacted(request.url),
                                                options_.logger.redactor().Redact(e.what())));
    } catch (...) {
      return Status(Code::kUnknown, "unexpected failure in the HTTP transport");
    }
  }

 private:
  std::string Redacted(const std::string& s) const { return options_.logger.redactor().Redact(s); }

  Status FromException(const Request& request, const std::error_code& ec, const char* what) {
    Code code = Code::kNetwork;
    if (ec == std::errc::timed_out || ec.value() == static_cast<int>(std::errc::timed_out)) code = Code::kTimeout;
    std::string msg = fmt::format("{} {}: {}", request.method, Redacted(request.url), Redacted(what));
    if (std::string(what).find("certificate") != std::string::npos || std::string(what).find("handshake") != std::string::npos) {
      msg += kTlsHint;
    }
    return Status(code, msg);
  }

  std::shared_ptr<http_client> ClientFor(const Url& url) {
    std::string origin = url.Origin();
    std::lock_guard<std::mutex> lock(mu_);
    auto it = clients_.find(origin);
    if (it != clients_.end()) return it->second;
    http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options_.timeout));
    config.set_validate_certificates(!options_.insecure);
    if (!options_.ca_pem.empty()) {
      std::string pem = options_.ca_pem;
      config.set_ssl_context_callback([pem](boost::asio::ssl::context& ctx) {
        ctx.add_certificate_authority(boost::asio::buffer(pem.data(), pem.size()));
      });
    }
    auto client = std::make_shared<http_client>(utility::conversions::to_string_t(origin), config);
    clients_.emplace(origin, client);
    return client;
  }

  StatusOr<Response> SendOrThrow(const Request& request) {
    auto url = ParseUrl(request.url);
    if (!url.ok()) return url.status();
    auto client = ClientFor(*url);

    web::http::http_request req(utility::conversions::to_string_t(request.method));
    std::string path_and_query = url->path.empty() ? "/" : url->path;
    if (!url->query.empty()) path_and_query += "?" + url->query;
    req.set_request_uri(utility::conversions::to_string_t(path_and_query));

    std::string content_type;
    bool has_user_agent = false;
    for (const auto& [k, v] : request.headers) {
      if (EqualsIgnoreCase(k, "content-type")) {
        content_type = v;
        continue;
      }
      if (EqualsIgnoreCase(k, "user-agent")) has_user_agent = true;
      // cpprest sends Host itself, exactly as the URL's authority; an explicit
      // one would also become its TLS name (SNI and certificate check).
      if (EqualsIgnoreCase(k, "host") && EqualsIgnoreCase(v, url->Authority())) continue;
      req.headers().add(utility::conversions::to_string_t(k), utility::conversions::to_string_t(v));
    }
    if (!has_user_agent && !options_.user_agent.empty()) {
      req.headers().add(utility::conversions::to_string_t("User-Agent"), utility::conversions::to_string_t(options_.user_agent));
    }
    if (!request.body.empty() || !content_type.empty()) {
      req.set_body(request.body, content_type.empty() ? "application/octet-stream" : content_type);
    }

    auto started = std::chrono::steady_clock::now();
    if (options_.logger.Enabled(LogLevel::kDebug)) {
      std::string line = fmt::format("> {} {}", request.method, request.url);
      for (const auto& [k, v] : request.headers) {
        line += fmt::format("\n> {}: {}", k, IsSensitiveHeader(k) ? "[REDACTED]" : v);
      }
      options_.logger.Log(LogLevel::kDebug, line);
    }
    web::http::http_response resp = client->request(req).get();
    Response out;
    out.status = resp.status_code();
    for (const auto& [k, v] : resp.headers()) {
      out.headers.emplace_back(utility::conversions::to_utf8string(k), utility::conversions::to_utf8string(v));
    }
    if (request.method != "HEAD") {
      std::vector<unsigned char> body = resp.extract_vector().get();
      out.body.assign(body.begin(), body.end());
    }
    if (options_.logger.Enabled(LogLevel::kDebug)) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      options_.logger.Log(LogLevel::kDebug, fmt::format("< {} {} {} ({} ms, {} bytes)", out.status, request.method,
                                                        request.url, ms.count(), out.body.size()));
    }
    return out;
  }

  TransportOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<http_client>> clients_;
};

}  // namespace

std::shared_ptr<Transport> NewCppRestTransport(const TransportOptions& options) {
  return std::make_shared<CppRestTransport>(options);
}

}  // namespace swr::http
