// What swrctl's commands are and which options each takes: the one source
// of the parser, the per-command check, --help, `swrctl help CMD`, the
// manual page and shell completion (so none of them can disagree).
#pragma once

#include <string>
#include <vector>

namespace swrctl {

struct CommandSpec {
  std::string id;        // "copy", "org delete": the words that name it
  std::string args;      // positional arguments, e.g. "ORG REPO TAG"
  std::string summary;   // one line
  bool changes = false;  // changes something (so it takes --dry-run)
};

// The first word of a command id: org, repo, tag, copy, ...
struct GroupSpec {
  std::string name;
  std::string title;    // the help's first line
  std::string details;  // paragraphs after the usage lines (may be empty)
};

struct OptionSpec {
  std::string name;                   // without "--"
  char short_name = 0;                // 0: none
  std::string value;                  // the value's name ("FILE"); empty: a flag
  std::string help;                   // one paragraph; wrapped when printed
  std::vector<std::string> commands;  // ids of the commands that take it
  bool repeatable = false;            // every value counts (else the last)

  bool TakesValue() const { return !value.empty(); }
  bool For(const std::string& command) const;
};

// Taken by every command that does something (help, quiet, verbose, the
// credentials): --help lists them once, not each command's help.
bool IsCommonOption(const OptionSpec& option);

const std::vector<CommandSpec>& Commands();
const std::vector<GroupSpec>& Groups();
const std::vector<OptionSpec>& Options();

const OptionSpec* FindOption(const std::string& name);
const CommandSpec* FindCommand(const std::string& id);
const GroupSpec* FindGroup(const std::string& name);

// "org" for "org delete"; the commands of a group; their second words
// joined by `sep` ("list, get, create, delete").
std::string GroupOf(const std::string& id);
std::vector<const CommandSpec*> CommandsOf(const std::string& group);
std::string SubcommandsOf(const std::string& group, const std::string& sep = ", ");

// The command named by the leading positional arguments ("org", "delete",
// "NAME" -> "org delete"), or "" with `error` set (a usage error).
std::string ResolveCommand(const std::vector<std::string>& positional, std::string* error);

// "" when every option given is one `command` takes; else the usage error
// that names the commands taking the first stray option.
std::string CheckOptionsFor(const std::string& command, const std::vector<std::string>& given);

// Generated texts (option_docs.cc).
std::string TopLevelHelp();
std::string GroupHelp(const std::string& group);  // "" for an unknown group
std::string ManPage(const std::string& version);  // roff, swrctl(1)
// "" for an unknown shell; bash, zsh (through bashcompinit) and fish.
std::string Completion(const std::string& shell);

}  // namespace swrctl
