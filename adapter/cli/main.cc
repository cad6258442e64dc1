// swrctl: SWR work without Harbor. Exit codes: 0 success, 1 the operation
// failed (message on stderr), 2 usage error.
#include <iostream>

#include "args.h"
#include "cli_util.h"
#include "commands.h"
#include "http/connection.h"
#include "options.h"

namespace {

using swrctl::kExitOk;
using swrctl::Usage;

std::string Version() {
  return swr::http::DefaultUserAgent().substr(swr::http::DefaultUserAgent().find('/') + 1);
}

int Help(const std::string& group) {
  if (group.empty()) {
    std::cout << swrctl::TopLevelHelp();
    return kExitOk;
  }
  std::string text = swrctl::GroupHelp(group);
  if (text.empty()) {
    std::string all;
    for (const auto& g : swrctl::Groups()) all += (all.empty() ? "" : ", ") + g.name;
    return Usage("no help for '" + group + "': commands are " + all);
  }
  std::cout << text;
  return kExitOk;
}

int Run(int argc, char** argv) {
  swrctl::Args args;
  if (!args.Parse(argc, argv, 1)) return Usage(args.error());
  const auto& pos = args.positional();
  if (args.Has("help")) return Help(pos.empty() ? "" : pos[0]);
  if (pos.empty() && args.Has("version")) {
    if (args.given().size() > 1) return Usage("--version takes no other options");
    std::cout << "swrctl " << Version() << "\n";
    return kExitOk;
  }
  std::string error;
  const std::string command = swrctl::ResolveCommand(pos, &error);
  if (command.empty()) return Usage(error);
  // An option the command does not take is an error before anything is
  // sent: nothing is silently ignored.
  if (std::string e = swrctl::CheckOptionsFor(command, args.given()); !e.empty()) return Usage(e);
  if (args.Has("version")) return Usage("--version takes no command");
  if (args.Has("quiet") && args.Has("verbose")) return Usage("give --quiet or --verbose, not both");

  if (command == "help") {
    if (pos.size() > 2) return Usage("help takes at most one command");
    return Help(pos.size() == 2 ? pos[1] : "");
  }
  if (command == "completion") {
    std::string script = pos.size() == 2 ? swrctl::Completion(pos[1]) : "";
    if (script.empty()) return Usage("completion needs one shell: bash, zsh or fish");
    std::cout << script;
    return kExitOk;
  }
  if (command == "man") {
    if (pos.size() != 1) return Usage("man takes no arguments");
    std::cout << swrctl::ManPage(Version());
    return kExitOk;
  }
  if (command == "sign") return swrctl::CmdSign(args);
  if (command == "login-key") return swrctl::CmdLoginKey(args);
  if (command == "copy") return swrctl::CmdCopy(args);
  if (command == "sync") return swrctl::CmdSync(args);
  if (pos[0] == "org") return swrctl::CmdOrg(args);
  return swrctl::CmdRepoOrTag(args);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    return swrctl::Fail(std::string("internal error: ") + e.what());
  }
}
