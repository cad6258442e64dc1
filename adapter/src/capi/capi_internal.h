// Helpers shared by the extern "C" entry points: the exception firewall and
// the Status -> swr_error mapping.
#pragma once

#include <cstdlib>
#include <initializer_list>
#include <cstring>
#include <new>
#include <string>

#include "common/status.h"
#include "replication/copy_engine.h"
#include "swr/client.h"
#include "swr/swr.h"

struct swr_registry {
  std::shared_ptr<swr::registry::RegistryClient> client;
  const swr::Redactor* redactor() const { return client ? &client->redactor() : nullptr; }
  // Destination repositories known to hold each blob: feeds mounts.
  std::shared_ptr<swr::replication::MountIndex> mounts = std::make_shared<swr::replication::MountIndex>();
};

struct swr_client {
  std::unique_ptr<swr::Client> impl;
  swr_registry registry;
};

namespace swr::capi {

int CodeToC(Code code);
char* CopyString(const std::string& s);  // malloc'd; never NULL unless out of memory
int SetError(swr_error** err, const Status& status);
int SetError(swr_error** err, int code, const std::string& message);
inline void ClearError(swr_error** err) {
  if (err) *err = nullptr;
}

// Log sink calling a C callback; exceptions from it never escape.
swr::LogSink CLogSink(swr_log_cb cb, void* payload);
swr::LogLevel CLogLevel(int level);

// The redactors whose secrets an error of this call may contain (the
// handles involved); null entries are skipped.
using Redactors = std::initializer_list<const Redactor*>;

// Makes an error safe to hand out: every known secret of `redactors` and
// anything credential-shaped masked, one line, bounded; never throws.
void RedactError(swr_error* err, Redactors redactors) noexcept;

// Runs `fn` (returning int) with every exception turned into an error code;
// the error, if any, leaves redacted (see RedactError).
template <typename Fn>
int Guard(swr_error** err, Redactors redactors, Fn&& fn) noexcept {
  ClearError(err);
  int rc;
  try {
    rc = fn();
  } catch (const std::bad_alloc&) {
    rc = SetError(err, SWR_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    rc = SetError(err, SWR_ERROR, std::string("internal error: ") + e.what());
  } catch (...) {
    rc = SetError(err, SWR_ERROR, "internal error");
  }
  if (err && *err) RedactError(*err, redactors);
  return rc;
}
// A redactor for the secrets a call is given (creation calls, before any
// handle exists); null when even that cannot be allocated.
std::unique_ptr<Redactor> RedactorFor(std::initializer_list<const char*> secrets) noexcept;

template <typename Fn>
int Guard(swr_error** err, Fn&& fn) noexcept {
  return Guard(err, Redactors{}, std::forward<Fn>(fn));
}

}  // namespace swr::capi
