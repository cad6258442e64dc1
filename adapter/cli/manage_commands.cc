// swrctl org, repo and tag: SWR's management API. Lists print names (or
// --json); changes print a confirmation on stderr (not with --quiet), and
// with --dry-run only say, after GETs alone, what they would do.
#include <iostream>

#include "cli_util.h"
#include "commands.h"
#include "common/json.h"
#include "common/log.h"
#include "endpoint.h"

namespace swrctl {

namespace {

// Names come from the server: no terminal escapes or line breaks reach the
// screen in text output (JSON escapes them itself).
std::string Plain(const std::string& name) {
  return swr::StripControl(name, false);
}

void OrganizationJson(swr::JsonWriter& w, const swr::Organization& o) {
  w.StartObject()
      .Key("id")
      .Int(o.id)
      .Key("name")
      .String(o.name)
      .Key("creator_name")
      .String(o.creator_name)
      .Key("auth")
      .Int(o.auth)
      .EndObject();
}

// What `org create` / `org delete` would do; only GETs.
int OrgDryRun(swr::ManagementClient& mgmt, const std::string& sub, const std::string& name) {
  if (sub == "create") {
    if (swr::Status v = swr::ValidateOrganizationName(name); !v.ok()) return Usage(v.message());
    auto o = mgmt.GetOrganization(name);
    if (o.ok()) return Fail("dry run: organization '" + name + "' exists already; create would fail");
    if (o.status().code() != swr::Code::kNotFound) return FailOrUsage(o.status());
    std::cout << "would create organization " << name << "\n";
    return kExitOk;
  }
  auto o = mgmt.GetOrganization(name);
  if (!o.ok()) return FailOrUsage(o.status());
  auto repos = mgmt.ListRepositories(name);
  if (!repos.ok()) return FailOrUsage(repos.status());
  if (!repos->empty()) {
    return Fail("dry run: organization '" + name + "' holds " + std::to_string(repos->size()) +
                " repositories; delete would fail until they are gone");
  }
  std::cout << "would delete organization " << name << "\n";
  return kExitOk;
}

}  // namespace

int CmdOrg(const Args& args) {
  const auto& pos = args.positional();
  const std::string& sub = pos[1];
  if (sub == "list" && pos.size() != 2) return Usage("org list takes no further arguments");
  if (sub != "list" && pos.size() != 3) return Usage("org " + sub + " needs exactly one organization name");
  auto client = MakeClientFromArgs(args);
  if (!client.ok()) return FailOrUsage(client.status());
  auto& mgmt = (*client)->management();
  if (sub == "list") {
    auto orgs = mgmt.ListOrganizations();
    if (!orgs.ok()) return FailOrUsage(orgs.status());
    if (args.Has("json")) {
      swr::JsonWriter w;
      w.StartArray();
      for (const auto& o : *orgs) OrganizationJson(w, o);
      w.EndArray();
      std::cout << w.str() << "\n";
    } else {
      for (const auto& o : *orgs) std::cout << Plain(o.name) << "\n";
    }
    return kExitOk;
  }
  const std::string& name = pos[2];
  if (sub == "get") {
    // One object either way (--json says so explicitly).
    auto o = mgmt.GetOrganization(name);
    if (!o.ok()) return FailOrUsage(o.status());
    swr::JsonWriter w;
    OrganizationJson(w, *o);
    std::cout << w.str() << "\n";
    return kExitOk;
  }
  if (args.Has("dry-run")) return OrgDryRun(mgmt, sub, name);
  swr::Status s = sub == "create" ? mgmt.CreateOrganization(name) : mgmt.DeleteOrganization(name);
  if (!s.ok()) return FailOrUsage(s);
  if (!args.Has("quiet")) std::cerr << (sub == "create" ? "created" : "deleted") << " organization " << name << "\n";
  return kExitOk;
}

// repo list ORG | repo delete ORG REPO | tag list ORG REPO | tag delete ORG REPO TAG
int CmdRepoOrTag(const Args& args) {
  const auto& pos = args.positional();
  const std::string& noun = pos[0];
  const std::string& sub = pos[1];
  size_t want = noun == "repo" ? (sub == "list" ? 3 : 4) : (sub == "list" ? 4 : 5);
  if (pos.size() != want) {
    return Usage(noun == "repo" ? "usage: swrctl repo list ORG | swrctl repo delete ORG REPO"
                                : "usage: swrctl tag list ORG REPO | swrctl tag delete ORG REPO TAG");
  }
  auto client = MakeClientFromArgs(args);
  if (!client.ok()) return FailOrUsage(client.status());
  auto& mgmt = (*client)->management();
  const bool json = args.Has("json");
  if (noun == "repo" && sub == "list") {
    auto repos = mgmt.ListRepositories(pos[2]);
    if (!repos.ok()) return FailOrUsage(repos.status());
    swr::JsonWriter w;
    w.StartArray();
    for (const auto& r : *repos) {
      if (!json) {
        std::cout << Plain(r.namespace_name) << "/" << Plain(r.name) << "\n";
        continue;
      }
      w.StartObject()
          .Key("organization")
          .String(r.namespace_name)
          .Key("name")
          .String(r.name)
          .Key("num_images")
          .Int(r.num_images)
          .Key("size")
          .Int(r.size)
          .Key("updated_at")
          .String(r.updated_at)
          .EndObject();
    }
    w.EndArray();
    if (json) std::cout << w.str() << "\n";
    return kExitOk;
  }
  // tag list, and what a delete needs to know for its dry run.
  if (sub == "list" || args.Has("dry-run")) {
    auto tags = mgmt.ListTags(pos[2], pos[3]);
    if (!tags.ok()) return FailOrUsage(tags.status());
    if (sub == "delete" && noun == "repo") {
      std::cout << "would delete repository " << pos[2] << "/" << pos[3] << " with its " << tags->size() << " tags\n";
      return kExitOk;
    }
    if (sub == "delete") {
      for (const auto& t : *tags) {
        if (t.tag != pos[4]) continue;
        std::cout << "would delete tag " << pos[2] << "/" << pos[3] << ":" << Plain(t.tag) << " (" << Plain(t.digest)
                  << ")\n";
        return kExitOk;
      }
      return Fail("dry run: " + pos[2] + "/" + pos[3] + " has no tag '" + pos[4] + "'; delete would fail");
    }
    swr::JsonWriter w;
    w.StartArray();
    for (const auto& t : *tags) {
      if (!json) {
        std::cout << Plain(t.tag) << "\t" << Plain(t.digest) << "\t" << t.size << "\n";
        continue;
      }
      w.StartObject()
          .Key("tag")
          .String(t.tag)
          .Key("digest")
          .String(t.digest)
          .Key("size")
          .Int(t.size)
          .Key("updated")
          .String(t.updated)
          .EndObject();
    }
    w.EndArray();
    if (json) std::cout << w.str() << "\n";
    return kExitOk;
  }
  swr::Status s = noun == "repo" ? mgmt.DeleteRepository(pos[2], pos[3]) : mgmt.DeleteTag(pos[2], pos[3], pos[4]);
  if (!s.ok()) return FailOrUsage(s);
  if (!args.Has("quiet")) {
    std::cerr << "deleted "
              << (noun == "repo" ? "repository " + pos[2] + "/" + pos[3]
                                 : "tag " + pos[2] + "/" + pos[3] + ":" + pos[4])
              << "\n";
  }
  return kExitOk;
}

}  // namespace swrctl
