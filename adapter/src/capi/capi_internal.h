// Helpers shared by the extern "C" entry points: the exception firewall and
// the Status -> swr_error mapping.
#pragma once

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "common/status.h"
#include "replication/copy_engine.h"
#include "swr/client.h"
#include "swr/swr.h"

struct swr_registry {
  std::shared_ptr<swr::registry::RegistryClient> client;
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

// Runs `fn` (returning int) with every exception turned into an error code.
template <typename Fn>
int Guard(swr_error** err, Fn&& fn) noexcept {
  ClearError(err);
  try {
    return fn();
  } catch (const std::bad_alloc&) {
    return SetError(err, SWR_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return SetError(err, SWR_ERROR, std::string("internal error: ") + e.what());
  } catch (...) {
    return SetError(err, SWR_ERROR, "internal error");
  }
}

}  // namespace swr::capi
