// The only file that knows cpprestsdk for buffered requests.
// fmt comes before cpprest, whose U() macro breaks fmt's templates.
#include <fmt/format.h>

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <cpprest/http_client.h>
#include <map>
#include <mutex>

#include "common/url.h"
#include "http/body_pipe.h"
#include "http/transport.h"

namespace swr::http {
namespace {

using web::http::client::http_client;
using web::http::client::http_client_config;

// cpprestsdk's view of a BodyPipe: asynchronous on cpprest's side. A put on
// a full pipe (a get on an empty one) completes only once the other side has
// made room (data), which holds cpprest's socket loop back without blocking
// any thread.
class PipeStreambuf final : public concurrency::streams::details::streambuf_state_manager<uint8_t> {
 public:
  PipeStreambuf(std::shared_ptr<BodyPipe> pipe, std::ios_base::openmode mode)
      : streambuf_state_manager<uint8_t>(mode), pipe_(std::move(pipe)) {}

  bool can_seek() const override { return false; }
  bool has_size() const override { return false; }
  size_t buffer_size(std::ios_base::openmode) const override { return 0; }
  void set_buffer_size(size_t, std::ios_base::openmode) override {}
  size_t in_avail() const override { return 0; }
  pos_type getpos(std::ios_base::openmode) const override { return static_cast<pos_type>(traits::eof()); }
  pos_type seekpos(pos_type, std::ios_base::openmode) override { return static_cast<pos_type>(traits::eof()); }
  pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override {
    return static_cast<pos_type>(traits::eof());
  }
  bool acquire(uint8_t*& ptr, size_t& count) override {
    ptr = nullptr;
    count = 0;
    return false;
  }
  void release(uint8_t*, size_t) override {}

 protected:
  pplx::task<int_type> _putc(uint8_t ch) override {
    auto holder = std::make_shared<uint8_t>(ch);
    return _putn(holder.get(), 1).then([holder](size_t n) -> int_type {
      return n == 1 ? static_cast<int_type>(*holder) : traits::eof();
    });
  }
  pplx::task<size_t> _putn(const uint8_t* ptr, size_t count) override {
    pplx::task_completion_event<size_t> tce;
    Put(pipe_, reinterpret_cast<const char*>(ptr), count, tce);
    return pplx::create_task(tce);
  }
  pplx::task<size_t> _getn(uint8_t* ptr, size_t count) override {
    pplx::task_completion_event<size_t> tce;
    Get(pipe_, reinterpret_cast<char*>(ptr), count, tce);
    return pplx::create_task(tce);
  }
  pplx::task<int_type> _getc() override {
    auto holder = std::make_shared<uint8_t>(0);
    return _getn(holder.get(), 1).then([holder](size_t n) -> int_type {
      return n == 1 ? static_cast<int_type>(*holder) : traits::eof();
    });
  }
  pplx::task<int_type> _bumpc() override { return _getc(); }
  int_type _sbumpc() override { return traits::requires_async(); }
  int_type _sgetc() override { return traits::requires_async(); }
  pplx::task<int_type> _nextc() override { return pplx::task_from_result<int_type>(traits::eof()); }
  pplx::task<int_type> _ungetc() override { return pplx::task_from_result<int_type>(traits::eof()); }
  size_t _scopy(uint8_t*, size_t) override { return 0; }
  pplx::task<bool> _sync() override { return pplx::task_from_result(true); }
  uint8_t* _alloc(size_t) override { return nullptr; }
  void _commit(size_t) override {}

 private:
  static std::exception_ptr ToException(const Status& s) {
    return std::make_exception_ptr(std::runtime_error(s.ToString()));
  }
  static void Put(std::shared_ptr<BodyPipe> pipe, const char* p, size_t n, pplx::task_completion_event<size_t> tce) {
    auto took = pipe->TryWrite(p, n);
    if (!took.ok()) {
      tce.set_exception(ToException(took.status()));
    } else if (*took > 0) {
      tce.set(*took);
    } else {
      pipe->WhenWritable([pipe, p, n, tce] { Put(pipe, p, n, tce); });
    }
  }
  static void Get(std::shared_ptr<BodyPipe> pipe, char* p, size_t n, pplx::task_completion_event<size_t> tce) {
    bool eof = false;
    auto got = pipe->TryRead(p, n, &eof);
    if (!got.ok()) {
      tce.set_exception(ToException(got.status()));
    } else if (*got > 0 || eof) {
      tce.set(*got);
    } else {
      pipe->WhenReadable([pipe, p, n, tce] { Get(pipe, p, n, tce); });
    }
  }

  std::shared_ptr<BodyPipe> pipe_;
};

class CppRestTransport final : public Transport {
 public:
  explicit CppRestTransport(TransportOptions options) : options_(std::move(options)) {}

  StatusOr<Response> Send(const Request& request) override {
    return SendStreaming(request, nullptr, -1, nullptr);
  }

  StatusOr<Response> SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body, int64_t body_length,
                                   std::shared_ptr<BodyPipe> sink) override {
    StatusOr<Response> result = Status(Code::kUnknown, "not sent");
    try {
      result = SendOrThrow(request, body, body_length, sink);
    } catch (const web::http::http_exception& e) {
      result = FromException(request, e.error_code(), e.what());
    } catch (const std::exception& e) {
      result = Status(Code::kNetwork, fmt::format("{} {}: {}", request.method, Redacted(request.url),
                                                  options_.logger.redactor().Redact(e.what())));
    } catch (...) {
      result = Status(Code::kUnknown, "unexpected failure in the HTTP transport");
    }
    if (!result.ok()) {
      // Wake whoever still feeds or drains the pipes.
      if (body) body->Abort(result.status());
      if (sink) sink->Abort(result.status());
    }
    return result;
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
    config.set_chunksize(options_.chunk_size);
    // Redirects are followed by the caller, which decides where credentials may go.
    config.set_max_redirects(0);
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

  StatusOr<Response> SendOrThrow(const Request& request, const std::shared_ptr<BodyPipe>& body, int64_t body_length,
                                 const std::shared_ptr<BodyPipe>& sink) {
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
    if (body) {
      concurrency::streams::streambuf<uint8_t> in(std::make_shared<PipeStreambuf>(body, std::ios_base::in));
      std::string ct = content_type.empty() ? "application/octet-stream" : content_type;
      if (body_length >= 0) {
        req.set_body(concurrency::streams::istream(in), static_cast<utility::size64_t>(body_length), ct);
      } else {
        req.set_body(concurrency::streams::istream(in), ct);
      }
    } else if (!request.body.empty() || !content_type.empty()) {
      req.set_body(request.body, content_type.empty() ? "application/octet-stream" : content_type);
    }
    if (sink) {
      concurrency::streams::streambuf<uint8_t> out(std::make_shared<PipeStreambuf>(sink, std::ios_base::out));
      req.set_response_stream(concurrency::streams::ostream(out));
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
    if (sink) {
      resp.content_ready().then([sink, url = Redacted(request.url)](pplx::task<web::http::http_response> t) {
        try {
          t.get();
          sink->CloseWrite();
        } catch (const std::exception& e) {
          sink->Abort(Status(Code::kNetwork, "reading " + url + ": " + e.what()));
        } catch (...) {
          sink->Abort(Status(Code::kNetwork, "reading " + url + " failed"));
        }
      });
    } else if (request.method != "HEAD") {
      std::vector<unsigned char> data = resp.extract_vector().get();
      out.body.assign(data.begin(), data.end());
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
