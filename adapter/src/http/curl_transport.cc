// The only file that knows libcurl. Every request runs on one easy handle
// from a small pool: buffered requests on the calling thread, requests whose
// response streams into a BodyPipe on a worker thread of the transport (the
// call returns once the response headers are in).
#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include "common/url.h"
#include "http/body_pipe.h"
#include "http/connection.h"
#include "http/transport.h"

namespace swr::http {
namespace {

using Clock = std::chrono::steady_clock;

// All header lines of one response together; a peer sending more is hostile.
constexpr size_t kMaxHeaderBytes = 64 << 10;
constexpr size_t kMaxIdleHandles = 16;

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// SIGPIPE is blocked on the thread for the guard's lifetime and a SIGPIPE
// raised meanwhile is consumed: the library never kills its host process
// with SIGPIPE (libcurl writes with MSG_NOSIGNAL already; this also covers
// anything below it).
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~SigpipeGuard() {
    if (!sigismember(&old_, SIGPIPE)) {
      sigset_t pending;
      sigemptyset(&pending);
      if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        timespec zero{0, 0};
        while (sigtimedwait(&set, nullptr, &zero) > 0) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_;
};

// One request and its response, shared by libcurl's callbacks.
struct Exchange {
  Request request;
  std::shared_ptr<BodyPipe> body;  // request body source, or null: request.body
  int64_t body_length = -1;
  std::shared_ptr<BodyPipe> sink;  // response body destination, or null: buffered
  bool streamed = false;           // a body or the response flows through a pipe

  size_t body_offset = 0;  // of request.body sent so far
  size_t header_bytes = 0;
  Response response;
  bool headers_done = false;
  Status abort_reason;  // why a callback stopped the transfer

  // Progress watchdog (streamed requests): bytes moved in the current window,
  // and time spent waiting on a pipe's other end, which is not the peer's fault.
  Clock::time_point window_start;
  curl_off_t window_bytes = 0;
  Clock::duration waited{0};
  std::chrono::milliseconds window{60000};

  // Worker-thread requests: the caller waits for the headers.
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  Status failure;

  void Ready(Status s) {
    std::lock_guard<std::mutex> lock(mu);
    if (ready) return;
    ready = true;
    failure = std::move(s);
    cv.notify_all();
  }
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t len = size * n;
  ex->header_bytes += len;
  if (ex->header_bytes > kMaxHeaderBytes) {
    ex->abort_reason =
        Status(Code::kProtocol, fmt::format("the response headers exceed {} KiB", kMaxHeaderBytes >> 10));
    return 0;
  }
  std::string_view line(data, len);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    ex->response.headers.clear();
    ex->response.status = 0;
    size_t sp = line.find(' ');
    if (sp != std::string_view::npos && sp + 4 <= line.size()) {
      int code = 0;
      for (size_t i = sp + 1; i < sp + 4; ++i) {
        char c = line[i];
        if (c < '0' || c > '9') return 0;
        code = code * 10 + (c - '0');
      }
      ex->response.status = code;
    }
    return len;
  }
  if (line.empty()) {
    // The end of a header block; 1xx blocks are followed by the real one.
    if (ex->response.status >= 200) {
      ex->headers_done = true;
      if (ex->sink) ex->Ready(OkStatus());
    }
    return len;
  }
  if ((line.front() == ' ' || line.front() == '\t') && !ex->response.headers.empty()) {
    ex->response.headers.back().second += " " + Trim(line);  // obsolete line folding
    return len;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return len;  // not a header: ignored
  ex->response.headers.emplace_back(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
  return len;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t len = size * n;
  if (ex->sink) {
    auto started = Clock::now();
    Status s = ex->sink->Write(data, len);
    ex->waited += Clock::now() - started;
    if (!s.ok()) {
      ex->abort_reason = s;
      return 0;
    }
    return len;
  }
  if (ex->response.body.size() + len > ex->request.max_response_bytes) {
    ex->abort_reason = Status(Code::kProtocol, fmt::format("the response body exceeds the limit of {} bytes",
                                                           ex->request.max_response_bytes));
    return 0;
  }
  ex->response.body.append(data, len);
  return len;
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t len = size * n;
  if (ex->body) {
    auto started = Clock::now();
    auto got = ex->body->Read(buf, len);
    ex->waited += Clock::now() - started;
    if (!got.ok()) {
      ex->abort_reason = got.status();
      return CURL_READFUNC_ABORT;
    }
    return *got;
  }
  size_t left = ex->request.body.size() - ex->body_offset;
  size_t take = std::min(left, len);
  std::memcpy(buf, ex->request.body.data() + ex->body_offset, take);
  ex->body_offset += take;
  return take;
}

int OnProgress(void* user, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* ex = static_cast<Exchange*>(user);
  if (ex->request.cancel && ex->request.cancel->cancelled()) {
    ex->abort_reason = Status(Code::kCancelled, "cancelled");
    return 1;
  }
  auto now = Clock::now();
  if (ex->request.deadline && now >= *ex->request.deadline) {
    ex->abort_reason = Status(Code::kTimeout, "the deadline passed before the transfer finished");
    return 1;
  }
  if (!ex->streamed) return 0;
  curl_off_t bytes = dlnow + ulnow;
  auto active = now - ex->window_start - ex->waited;
  if (active < ex->window) return 0;
  double secs = std::chrono::duration<double>(active).count();
  double rate = static_cast<double>(bytes - ex->window_bytes) / secs;
  int64_t min_rate = ex->request.min_bytes_per_second;
  if (bytes == ex->window_bytes || (min_rate > 0 && rate < static_cast<double>(min_rate))) {
    ex->abort_reason =
        Status(Code::kTimeout,
               bytes == ex->window_bytes
                   ? fmt::format("no data moved for {:.0f} s", secs)
                   : fmt::format("the peer moved {:.0f} bytes/s over {:.0f} s, below the minimum of {} bytes/s", rate,
                                 secs, min_rate));
    ex->abort_reason.WithReason(bytes == ex->window_bytes ? Reason::kTimeout : Reason::kTooSlow);
    return 1;
  }
  ex->window_start = now;
  ex->window_bytes = bytes;
  ex->waited = Clock::duration(0);
  return 0;
}

// Adds the PEM certificates in `pem` to the trust store libcurl's OpenSSL
// context starts with (the system's), instead of replacing it.
CURLcode AddCaCertificates(CURL*, void* ssl_ctx, void* user) {
  const auto* pem = static_cast<const std::string*>(user);
  X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
  BIO* bio = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  if (!bio) return CURLE_OUT_OF_MEMORY;
  STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!infos) return CURLE_SSL_CACERT_BADFILE;
  int added = 0;
  for (int i = 0; i < sk_X509_INFO_num(infos); ++i) {
    X509_INFO* info = sk_X509_INFO_value(infos, i);
    if (info->x509 && X509_STORE_add_cert(store, info->x509) == 1) ++added;
  }
  sk_X509_INFO_pop_free(infos, X509_INFO_free);
  return added > 0 ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

// Nothing a caller or a server supplied may end a header line or the
// request line early (header injection).
Status CheckWireSafe(const Request& req) {
  for (char c : req.url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status(Code::kInvalidArgument, "the URL contains a space or a control character");
    }
  }
  for (const auto& [k, v] : req.headers) {
    if (k.empty()) return Status(Code::kInvalidArgument, "a header has no name");
    for (char c : k) {
      if (static_cast<unsigned char>(c) <= 0x20 || c == ':' || c == 0x7f) {
        return Status(Code::kInvalidArgument, "invalid header name");
      }
    }
    for (char c : v) {
      if (c == '\r' || c == '\n' || c == '\0') {
        return Status(Code::kInvalidArgument, "header " + k + " contains a line break");
      }
    }
  }
  return OkStatus();
}

// What a libcurl failure means, for retries and hints.
Reason ReasonFor(CURLcode rc) {
  switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return Reason::kTls;  // a certificate problem will not go away by trying again
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Reason::kDns;
    case CURLE_COULDNT_CONNECT:
      return Reason::kRefused;
    case CURLE_OPERATION_TIMEDOUT:
      return Reason::kTimeout;
    default:
      return Reason::kNone;  // from the code
  }
}

class CurlTransport final : public Transport {
 public:
  CurlTransport(ConnectionOptions options, Logger logger) : options_(std::move(options)), logger_(std::move(logger)) {
    if (options_.user_agent.empty()) options_.user_agent = DefaultUserAgent();
    GlobalInit();
  }

  ~CurlTransport() override {
    std::list<Worker> workers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      workers.swap(workers_);
    }
    for (auto& w : workers) {
      // Whoever still reads or feeds these pipes has gone: end the transfers.
      if (auto p = w.sink.lock()) p->Abort(Status(Code::kCancelled, "the HTTP transport was closed"));
      if (auto p = w.body.lock()) p->Abort(Status(Code::kCancelled, "the HTTP transport was closed"));
      if (w.thread.joinable()) w.thread.join();
    }
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }

  StatusOr<Response> Send(const Request& request) override {
    auto ex = std::make_shared<Exchange>();
    ex->request = request;
    SigpipeGuard guard;
    return Perform(*ex);
  }

  StatusOr<Response> SendStreaming(const Request& request, std::shared_ptr<BodyPipe> body, int64_t body_length,
                                   std::shared_ptr<BodyPipe> sink) override {
    auto ex = std::make_shared<Exchange>();
    ex->request = request;
    ex->body = std::move(body);
    ex->body_length = body_length;
    ex->sink = std::move(sink);
    ex->streamed = true;
    if (!ex->sink) {
      SigpipeGuard guard;
      auto r = Perform(*ex);
      if (ex->body) {
        // Whoever feeds the body must not wait for a reader that has gone.
        ex->body->AbortUnlessFinished(
            r.ok() ? Status(Code::kCancelled, "the server answered before the whole body was sent") : r.status());
      }
      return r;
    }
    StartWorker(ex);
    std::unique_lock<std::mutex> lock(ex->mu);
    ex->cv.wait(lock, [&] { return ex->ready; });
    if (!ex->failure.ok()) return ex->failure;
    Response headers_only;
    headers_only.status = ex->response.status;
    headers_only.headers = ex->response.headers;
    return headers_only;
  }

 private:
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
    std::weak_ptr<BodyPipe> body;
    std::weak_ptr<BodyPipe> sink;
  };

  void StartWorker(const std::shared_ptr<Exchange>& ex) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (it->done->load()) {
        it->thread.join();
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
    Worker w;
    w.done = std::make_shared<std::atomic<bool>>(false);
    w.body = ex->body;
    w.sink = ex->sink;
    w.thread = std::thread([this, ex, done = w.done] {
      // This thread belongs to the library: SIGPIPE stays blocked for its life.
      SigpipeGuard guard;
      auto r = Perform(*ex);
      if (r.ok()) {
        ex->sink->CloseWrite();
        ex->Ready(OkStatus());
      } else {
        ex->sink->Abort(r.status());
        if (ex->body) ex->body->Abort(r.status());
        ex->Ready(r.status());
      }
      done->store(true);
    });
    workers_.push_back(std::move(w));
  }

  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }

  void Release(CURL* h) {
    curl_easy_reset(h);
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

  std::string Redacted(const std::string& s) const { return logger_.redactor().Redact(s); }

  StatusOr<Response> Perform(Exchange& ex) {
    const Request& req = ex.request;
    std::string what = fmt::format("{} {}", req.method, Redacted(req.url));
    if (req.cancel && req.cancel->cancelled()) return Status(Code::kCancelled, what + ": cancelled");
    auto url = ParseUrl(req.url);
    if (!url.ok()) return Status(url.status().code(), what + ": " + url.status().message());
    if (Status s = CheckWireSafe(req); !s.ok()) return Status(s.code(), what + ": " + s.message());
    CURL* h = Acquire();
    if (!h) return Status(Code::kUnknown, what + ": cannot create an HTTP handle");

    // Waiters on the pipes wake up when the call is cancelled.
    CancelRegistration on_cancel(req.cancel, [body = ex.body, sink = ex.sink] {
      if (body) body->Abort(Status(Code::kCancelled, "cancelled"));
      if (sink) sink->Abort(Status(Code::kCancelled, "cancelled"));
    });

    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    bool has_user_agent = false, has_content_type = false;
    for (const auto& [k, v] : req.headers) {
      if (EqualsIgnoreCase(k, "user-agent")) has_user_agent = true;
      if (EqualsIgnoreCase(k, "content-type")) has_content_type = true;
      std::string line = v.empty() ? k + ";" : k + ": " + v;
      headers = curl_slist_append(headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip; an early answer still ends the upload.
    headers = curl_slist_append(headers, "Expect:");
    const bool has_body = ex.body || !req.body.empty();
    if (!has_content_type) {
      // libcurl would label a POST form data.
      headers = curl_slist_append(headers, has_body ? "Content-Type: application/octet-stream" : "Content-Type:");
    }

    curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // the caller decides where credentials may go
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 256L << 10);
    curl_easy_setopt(h, CURLOPT_UPLOAD_BUFFERSIZE, 512L << 10);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, options_.insecure ? 0L : 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, options_.insecure ? 0L : 2L);
    if (!options_.ca_pem.empty()) {
      curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, AddCaCertificates);
      curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, &options_.ca_pem);
    }
    if (!options_.proxy.empty()) curl_easy_setopt(h, CURLOPT_PROXY, options_.proxy.c_str());
    if (!has_user_agent && !options_.user_agent.empty()) {
      curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &ex);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &ex);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);

    auto timeout = options_.timeout;
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
    std::optional<std::chrono::milliseconds> total;
    bool deadline_binds = false;  // libcurl's timeout is the deadline's
    if (!ex.streamed) total = timeout;
    if (req.deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*req.deadline - Clock::now());
      if (left.count() <= 0) {
        curl_slist_free_all(headers);
        Release(h);
        return Status(Code::kTimeout, what + ": the deadline passed before the request was sent");
      }
      if (!total || left < *total) {
        total = left;
        deadline_binds = true;
      }
    }
    if (total) curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, total->count())));
    ex.window = timeout;
    ex.window_start = Clock::now();

    int64_t length = ex.body ? ex.body_length : static_cast<int64_t>(req.body.size());
    if (req.method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (req.method == "GET" && !has_body) {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (req.method == "POST") {
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(h, CURLOPT_READDATA, &ex);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(length));
    } else if (has_body || req.method == "PUT" || req.method == "PATCH") {
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(h, CURLOPT_READFUNCTION, OnRead);
      curl_easy_setopt(h, CURLOPT_READDATA, &ex);
      if (length >= 0) curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
      if (req.method != "PUT") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    } else {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }

    auto started = Clock::now();
    if (logger_.Enabled(LogLevel::kDebug)) {
      std::string line = fmt::format("> {} {}", req.method, req.url);
      for (const auto& [k, v] : req.headers) {
        line += fmt::format("\n> {}: {}", k, IsSensitiveHeader(k) ? "[REDACTED]" : v);
      }
      logger_.Log(LogLevel::kDebug, line);
    }
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(headers);
    Release(h);

    if (rc != CURLE_OK) {
      // An answer that arrived before the connection broke (a registry that
      // refuses an upload early, then closes) is the better explanation.
      if (ex.headers_done && ex.response.status >= 400 && !ex.sink && ex.abort_reason.ok()) {
        return std::move(ex.response);
      }
      Status s;
      if (!ex.abort_reason.ok()) {
        s = Status(ex.abort_reason.code(), what + ": " + ex.abort_reason.message());
        s.WithDetailsOf(ex.abort_reason);
      } else {
        std::string msg = errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc);
        Code code = rc == CURLE_OPERATION_TIMEDOUT ? Code::kTimeout : Code::kNetwork;
        if (rc == CURLE_OPERATION_TIMEDOUT && deadline_binds) {
          msg = "the deadline passed before the transfer finished";
        }
        // libcurl says "out of memory" when it refuses a header line over
        // 100 KiB (or headers over its own total): a hostile peer, not us.
        if (rc == CURLE_OUT_OF_MEMORY && !ex.headers_done) {
          code = Code::kProtocol;
          msg = "the response headers are too large";
        } else if (rc == CURLE_OUT_OF_MEMORY) {
          code = Code::kUnknown;
        }
        s = Status(code, what + ": " + Redacted(msg));
        s.WithReason(ReasonFor(rc));
      }
      if (auto u = ParseUrl(req.url); u.ok()) s.WithHost(u->Authority());
      if (ex.sink && !ex.headers_done) ex.Ready(s);
      return s;
    }
    if (!ex.headers_done && ex.response.status == 0) {
      return Status(Code::kProtocol, what + ": the server sent no HTTP status line");
    }
    if (logger_.Enabled(LogLevel::kDebug)) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
      logger_.Log(LogLevel::kDebug, fmt::format("< {} {} {} ({} ms, {} bytes)", ex.response.status, req.method, req.url,
                                                ms.count(), ex.response.body.size()));
    }
    if (ex.sink) {
      Response headers_only;
      headers_only.status = ex.response.status;
      headers_only.headers = ex.response.headers;
      return headers_only;
    }
    return std::move(ex.response);
  }

  ConnectionOptions options_;
  Logger logger_;
  std::mutex mu_;
  std::vector<CURL*> idle_;
  std::list<Worker> workers_;
};

}  // namespace

std::shared_ptr<Transport> NewHttpTransport(const ConnectionOptions& options, const Logger& logger) {
  return std::make_shared<CurlTransport>(options, logger);
}

}  // namespace swr::http
