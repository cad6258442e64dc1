// Texts generated from the option declarations: --help, swrctl help CMD,
// the manual page and shell completion.
#include <set>
#include <sstream>

#include "options.h"

namespace swrctl {

// ---- help ----

namespace {

// Words wrapped into `width` columns, each line after the first indented.
std::string Wrap(const std::string& text, size_t indent, size_t first_column, size_t width = 79) {
  std::istringstream words(text);
  std::string word, out;
  size_t column = first_column;
  bool line_start = true;
  while (words >> word) {
    if (!line_start && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += " ";
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
  }
  return out;
}

std::string Paragraphs(const std::string& text) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string::npos) end = text.size();
    out += Wrap(text.substr(start, end - start), 0, 0) + "\n";
    start = end + 2;
    if (start <= text.size()) out += "\n";
  }
  return out;
}

std::string OptionLabel(const OptionSpec& o) {
  std::string label = o.short_name ? std::string("-") + o.short_name + ", --" + o.name : "--" + o.name;
  if (o.TakesValue()) label += " " + o.value;
  return label;
}

std::string OptionLines(const std::vector<const OptionSpec*>& options, const std::vector<const CommandSpec*>& cmds) {
  constexpr size_t kColumn = 28;
  std::string out;
  for (const auto* o : options) {
    std::string label = "  " + OptionLabel(*o);
    std::string help = o->help;
    if (cmds.size() > 1) {
      std::string only;
      size_t n = 0;
      for (const auto* c : cmds) {
        if (o->For(c->id)) {
          only += (only.empty() ? "" : ", ") + c->id.substr(c->id.find(' ') + 1);
          ++n;
        }
      }
      if (n < cmds.size()) help += " (" + only + ")";
    }
    if (label.size() + 2 > kColumn) {
      out += label + "\n" + std::string(kColumn, ' ');
    } else {
      out += label + std::string(kColumn - label.size(), ' ');
    }
    out += Wrap(help, kColumn, kColumn) + "\n";
  }
  return out;
}

std::vector<const OptionSpec*> OptionsOfAny(const std::vector<const CommandSpec*>& cmds, bool include_global) {
  std::vector<const OptionSpec*> out;
  for (const auto& o : Options()) {
    if (o.commands.empty() && !include_global) continue;
    for (const auto* c : cmds) {
      if (o.For(c->id)) {
        out.push_back(&o);
        break;
      }
    }
  }
  return out;
}

std::string UsageLine(const CommandSpec& c) {
  return "swrctl " + c.id + (c.args.empty() ? "" : " " + c.args) + " [options]";
}

}  // namespace

std::string GroupHelp(const std::string& name) {
  const GroupSpec* g = FindGroup(name);
  if (!g) return "";
  auto cmds = CommandsOf(name);
  std::string out = g->title + "\n\nUsage:\n";
  for (const auto* c : cmds) {
    out += "  " + UsageLine(*c) + "\n";
    if (cmds.size() > 1) out += "      " + Wrap(c->summary, 6, 6) + "\n";
  }
  if (!g->details.empty()) out += "\n" + Paragraphs(g->details);
  std::vector<const OptionSpec*> options;
  for (const auto* o : OptionsOfAny(cmds, false)) {
    if (!IsCommonOption(*o)) options.push_back(o);
  }
  if (!options.empty()) out += "\nOptions:\n" + OptionLines(options, cmds);
  if (name != "help" && name != "completion" && name != "man") {
    out += "\nAlso -h/--help, -q/--quiet, -v/--verbose and the credential options of every command (swrctl --help).\n";
  }
  return out;
}

std::string TopLevelHelp() {
  std::string out =
      "swrctl: Open Telekom Cloud SWR from the command line\n\n"
      "Usage: swrctl COMMAND [options]   (swrctl help COMMAND, or COMMAND --help, for one command)\n\nCommands:\n";
  for (const auto& c : Commands()) {
    std::string label = "  " + c.id + (c.args.empty() ? "" : " " + c.args);
    if (label.size() + 2 > 36) {
      out += label + "\n" + std::string(36, ' ');
    } else {
      out += label + std::string(36 - label.size(), ' ');
    }
    out += Wrap(c.summary, 36, 36) + "\n";
  }
  out += "\n" + Paragraphs(
                    "Credentials come from OS_ACCESS_KEY, OS_SECRET_KEY and OS_PROJECT_NAME (OS_PROJECT_ID is sent "
                    "as X-Project-Id when set); --access-key, --secret-key-file F (\"-\": stdin), --project-name "
                    "and --project-id override them. The registry URL of org, repo, tag and login-key may also "
                    "come from SWR_REGISTRY. Secrets are never printed. Each command takes only its own options "
                    "(swrctl help COMMAND lists them); any other is a usage error.");
  out += "\nOptions of every command:\n";
  std::vector<const OptionSpec*> global;
  for (const auto& o : Options()) {
    if (IsCommonOption(o)) global.push_back(&o);
  }
  out += OptionLines(global, {});
  out += "\nExit codes: 0 success, 1 operation failed, 2 usage error.\n";
  return out;
}

// ---- the manual page ----

namespace {

std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  // A line starting with . or ' would be a request.
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

}  // namespace

std::string ManPage(const std::string& version) {
  std::string out = ".TH SWRCTL 1 \"\" \"swrctl " + version + "\" \"User Commands\"\n";
  out += ".SH NAME\nswrctl \\- Open Telekom Cloud SWR from the command line\n";
  out += ".SH SYNOPSIS\n";
  for (const auto& c : Commands()) out += ".br\n" + Roff(UsageLine(c)) + "\n";
  out += ".SH DESCRIPTION\n";
  out += Roff(
             "Moves container images into Open Telekom Cloud's SoftWare Repository for Container (SWR) and "
             "manages its organizations, repositories and tags. Credentials come from OS_ACCESS_KEY, "
             "OS_SECRET_KEY and OS_PROJECT_NAME; secrets are never printed. Each command takes only its own "
             "options; any other is a usage error (exit 2).") +
         "\n";
  out += ".SH COMMANDS\n";
  for (const auto& g : Groups()) {
    auto cmds = CommandsOf(g.name);
    out += ".SS " + Roff(g.name) + "\n" + Roff(g.title) + "\n";
    for (const auto* c : cmds) out += ".TP\n.B " + Roff(UsageLine(*c)) + "\n" + Roff(c->summary) + "\n";
    if (!g.details.empty()) {
      out += ".PP\n";
      std::string d = g.details;
      for (size_t p; (p = d.find("\n\n")) != std::string::npos;) d.replace(p, 2, "\n.PP\n");
      std::istringstream lines(d);
      for (std::string line; std::getline(lines, line);) out += (line == ".PP" ? line : Roff(line)) + "\n";
    }
    std::vector<const OptionSpec*> options;
    for (const auto* o : OptionsOfAny(cmds, false)) {
      if (!IsCommonOption(*o)) options.push_back(o);
    }
    if (!options.empty()) out += ".PP\nOptions:\n";
    for (const auto* o : options) out += ".TP\n.B " + Roff(OptionLabel(*o)) + "\n" + Roff(o->help) + "\n";
  }
  out += ".SH OPTIONS OF EVERY COMMAND\n";
  for (const auto& o : Options()) {
    if (IsCommonOption(o)) out += ".TP\n.B " + Roff(OptionLabel(o)) + "\n" + Roff(o.help) + "\n";
  }
  out += ".SH EXIT STATUS\n0 success, 1 the operation failed, 2 usage error, 130 interrupted (sync).\n";
  out +=
      ".SH ENVIRONMENT\nOS_ACCESS_KEY, OS_SECRET_KEY, OS_PROJECT_NAME, OS_PROJECT_ID, SWR_REGISTRY, "
      "DOCKER_CONFIG.\n";
  return out;
}

// ---- shell completion ----

namespace {

// Options of one command, as the shell sees them.
std::string Words(const std::string& command) {
  std::string out;
  for (const auto& o : Options()) {
    if (!o.For(command)) continue;
    out += (out.empty() ? "" : " ") + std::string("--") + o.name;
    if (o.short_name) out += std::string(" -") + o.short_name;
  }
  return out;
}

std::string Groupnames() {
  std::string out;
  for (const auto& g : Groups()) out += (out.empty() ? "" : " ") + g.name;
  return out;
}

std::string BashScript() {
  std::string s =
      "# bash completion for swrctl, generated by 'swrctl completion bash'\n"
      "_swrctl() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} group= sub= i w\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    w=${COMP_WORDS[i]}\n"
      "    case $w in -*) continue ;; esac\n"
      "    case \" $_swrctl_value_opts \" in *\" ${COMP_WORDS[i-1]} \"*) continue ;; esac\n"
      "    if [[ -z $group ]]; then group=$w; elif [[ -z $sub ]]; then sub=$w; fi\n"
      "  done\n"
      "  case \" $_swrctl_value_opts \" in *\" $prev \"*) COMPREPLY=($(compgen -f -- \"$cur\")); return ;; esac\n"
      "  if [[ -z $group ]]; then\n"
      "    COMPREPLY=($(compgen -W \"" +
      Groupnames() +
      " --help --version\" -- \"$cur\")); return\n"
      "  fi\n"
      "  local words\n"
      "  case \"$group $sub\" in\n";
  std::set<std::string> groups_with_subs;
  for (const auto& c : Commands()) {
    size_t sp = c.id.find(' ');
    if (sp == std::string::npos) {
      s += "    \"" + c.id + " \"*) words=\"" + Words(c.id) + "\" ;;\n";
    } else {
      s += "    \"" + c.id + "\") words=\"" + Words(c.id) + "\" ;;\n";
      groups_with_subs.insert(c.id.substr(0, sp));
    }
  }
  for (const auto& g : groups_with_subs) {
    s += "    \"" + g + " \") words=\"" + SubcommandsOf(g, " ") + "\" ;;\n";
  }
  s += "  esac\n";
  s += "  [[ $group == help && -z $sub ]] && words=\"" + Groupnames() + "\"\n";
  s += "  [[ $group == completion && -z $sub ]] && words=\"bash zsh fish\"\n";
  s += "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n";
  std::string value_opts;
  for (const auto& o : Options()) {
    if (!o.TakesValue()) continue;
    value_opts += (value_opts.empty() ? "" : " ") + std::string("--") + o.name;
    if (o.short_name) value_opts += std::string(" -") + o.short_name;
  }
  s += "_swrctl_value_opts=\"" + value_opts + "\"\n";
  s += "complete -F _swrctl swrctl\n";
  return s;
}

std::string FishScript() {
  std::string s = "# fish completion for swrctl, generated by 'swrctl completion fish'\ncomplete -c swrctl -f\n";
  for (const auto& g : Groups()) {
    s += "complete -c swrctl -n '__fish_use_subcommand' -a " + g.name + " -d '" +
         g.title.substr(g.title.find(':') + 2) + "'\n";
  }
  for (const auto& c : Commands()) {
    size_t sp = c.id.find(' ');
    std::string cond;
    if (sp == std::string::npos) {
      cond = "__fish_seen_subcommand_from " + c.id;
    } else {
      std::string group = c.id.substr(0, sp), sub = c.id.substr(sp + 1);
      s += "complete -c swrctl -n '__fish_seen_subcommand_from " + group + "; and not __fish_seen_subcommand_from " +
           SubcommandsOf(group, " ") + "' -a " + sub + "\n";
      cond = "__fish_seen_subcommand_from " + group + "; and __fish_seen_subcommand_from " + sub;
    }
    for (const auto& o : Options()) {
      if (!o.For(c.id) || o.commands.empty()) continue;
      s += "complete -c swrctl -n '" + cond + "' -l " + o.name;
      if (o.short_name) s += std::string(" -s ") + o.short_name;
      if (o.TakesValue()) s += " -r -F";
      std::string help = o.help.substr(0, o.help.find_first_of(";(")), quoted;
      for (char ch : help) quoted += ch == '\'' ? std::string("\\'") : std::string(1, ch);
      s += " -d '" + quoted + "'\n";
    }
  }
  s += "complete -c swrctl -s h -l help -d 'show help'\n";
  return s;
}

}  // namespace

std::string Completion(const std::string& shell) {
  if (shell == "bash") return BashScript();
  if (shell == "zsh") {
    return "# zsh completion for swrctl (bash's, through bashcompinit), generated by 'swrctl completion zsh'\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           BashScript();
  }
  if (shell == "fish") return FishScript();
  return "";
}

}  // namespace swrctl
