// swrctl copy: one image from any registry to any registry (SWR included).
#pragma once

#include "args.h"

namespace swrctl {

// Options this command adds to the parser.
extern const char* const kCopyValueOptions[];
extern const char* const kCopyFlags[];

int CmdCopy(const Args& args);

}  // namespace swrctl
