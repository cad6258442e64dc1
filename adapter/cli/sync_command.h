// swrctl sync: image-syncer's files, one engine for the whole run.
#pragma once

#include "args.h"

namespace swrctl {

extern const char* const kSyncValueOptions[];
extern const char* const kSyncFlags[];

int CmdSync(const Args& args);

}  // namespace swrctl
