// swrctl's commands: each takes the parsed command line, whose options were
// checked against the command's declarations (options.h), and returns the
// exit code.
#pragma once

#include <string>

#include "args.h"
#include "common/status.h"

namespace swrctl {

int CmdSign(const Args& args);

// "PRODUCER | docker login --username 'USER' --password-stdin 'HOST'", for
// a user name and host that are plain (letters, digits and the few marks of
// their forms); kProtocol for anything else (server-given text that could
// run a command when the line is pasted into a shell).
swr::StatusOr<std::string> DockerLoginLine(const std::string& producer, const std::string& username,
                                           const std::string& host);  // key_commands.cc
int CmdLoginKey(const Args& args);                                    // key_commands.cc
int CmdOrg(const Args& args);                                         // manage_commands.cc
int CmdRepoOrTag(const Args& args);                                   // manage_commands.cc
int CmdCopy(const Args& args);                                        // copy_command.cc
int CmdSync(const Args& args);                                        // sync_command.cc

}  // namespace swrctl
