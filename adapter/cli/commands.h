// swrctl's commands: each takes the parsed command line, whose options were
// checked against the command's declarations (options.h), and returns the
// exit code.
#pragma once

#include "args.h"

namespace swrctl {

int CmdSign(const Args& args);       // key_commands.cc
int CmdLoginKey(const Args& args);   // key_commands.cc
int CmdOrg(const Args& args);        // manage_commands.cc
int CmdRepoOrTag(const Args& args);  // manage_commands.cc
int CmdCopy(const Args& args);       // copy_command.cc
int CmdSync(const Args& args);       // sync_command.cc

}  // namespace swrctl
