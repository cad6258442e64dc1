// What the extern "C" entry points share: the handle structs, the exception
// firewall, Status -> swr_error, and conversions. capi/ holds argument
// checks, conversion and the firewall only; the work is the core's.
#pragma once

#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "common/call_context.h"
#include "common/status.h"
#include "http/connection.h"
#include "registry/registry_client.h"
#include "swr/client.h"
#include "swr/swr.h"

struct swr_cancel_token {
  std::shared_ptr<swr::CancelToken> token = std::make_shared<swr::CancelToken>();
};

struct swr_registry {
  std::shared_ptr<swr::registry::RegistryClient> client;
  const swr::Redactor* redactor() const { return client ? &client->redactor() : nullptr; }
};

struct swr_client {
  std::unique_ptr<swr::Client> impl;
  swr_registry registry;
  const swr::Redactor* redactor() const { return impl ? &impl->logger().redactor() : nullptr; }
};

namespace swr::capi {

char* CopyString(const std::string& s);  // malloc'd; never NULL unless out of memory
int SetError(swr_error** err, const Status& status);
int SetError(swr_error** err, int code, const std::string& message);
inline void ClearError(swr_error** err) {
  if (err) *err = nullptr;
}
inline int OutOfMemory(swr_error** err) {
  return SetError(err, SWR_ENOMEM, "out of memory");
}

// The per-call context of a C call.
inline CallContext ContextFor(const swr_cancel_token* cancel) {
  CallContext ctx;
  if (cancel) ctx.cancel = cancel->token;
  return ctx;
}

// A swr_connection_options with the defaults (what the options' _init()
// functions embed), and its conversion; SWR_OK or SWR_EINVALID with `err`
// naming `function`.
void InitConnection(swr_connection_options* c);
int ConnectionFromC(const swr_connection_options& in, const char* function, http::ConnectionOptions* out,
                    swr_error** err);

// Log sink calling a C callback; exceptions from it never escape.
LogSink CLogSink(swr_log_cb cb, void* payload);
LogLevel CLogLevel(int level);

// The redactors whose secrets an error of this call may contain (the
// handles involved); null entries are skipped.
using Redactors = std::initializer_list<const Redactor*>;

// Makes an error safe to hand out: every known secret of `redactors` and
// anything credential-shaped masked, one line, bounded; never throws.
void RedactError(swr_error* err, Redactors redactors) noexcept;

// A redactor for the secrets a call is given (creation calls, before any
// handle exists); null when even that cannot be allocated.
std::unique_ptr<Redactor> RedactorFor(std::initializer_list<const char*> secrets) noexcept;

// Runs `fn` (returning int) with every exception turned into an error code;
// the error, if any, leaves redacted (see RedactError).
template <typename Fn>
int Guard(swr_error** err, Redactors redactors, Fn&& fn) noexcept {
  ClearError(err);
  int rc;
  try {
    rc = fn();
  } catch (const std::bad_alloc&) {
    rc = OutOfMemory(err);
  } catch (const std::exception& e) {
    rc = SetError(err, SWR_ERROR, std::string("internal error: ") + e.what());
  } catch (...) {
    rc = SetError(err, SWR_ERROR, "internal error");
  }
  if (err && *err) RedactError(*err, redactors);
  return rc;
}
template <typename Fn>
int Guard(swr_error** err, Fn&& fn) noexcept {
  return Guard(err, Redactors{}, std::forward<Fn>(fn));
}

// For the void entry points (frees, cancels): nothing escapes, nothing reported.
template <typename Fn>
void Quietly(Fn&& fn) noexcept {
  try {
    fn();
  } catch (...) {
  }
}

// A C array of `n` zeroed T (calloc), or nullptr.
template <typename T>
T* CallocArray(size_t n) {
  return n ? static_cast<T*>(std::calloc(n, sizeof(T))) : nullptr;
}

// Builds a C list ({items, count}) from `src`, one item at a time with
// `fill(Item*, const Src&) -> bool` (false: out of memory; the list built so
// far is freed with `free_list`). The one list builder of the C ABI.
template <typename List, typename Src, typename Fill, typename FreeList>
int BuildList(List** out, const std::vector<Src>& src, Fill fill, FreeList free_list, swr_error** err) {
  using Item = std::remove_pointer_t<decltype(List::items)>;
  auto* list = static_cast<List*>(std::calloc(1, sizeof(List)));
  if (!list) return OutOfMemory(err);
  list->items = CallocArray<Item>(src.size());
  if (!src.empty() && !list->items) {
    std::free(list);
    return OutOfMemory(err);
  }
  for (const auto& s : src) {
    if (!fill(&list->items[list->count++], s)) {
      free_list(list);
      return OutOfMemory(err);
    }
  }
  *out = list;
  return SWR_OK;
}

}  // namespace swr::capi
