#include "replication/manifest_rewrite.h"

#include <algorithm>
#include <map>

#include "common/crypto.h"
#include "common/json.h"
#include "registry/reference.h"

namespace swr::replication {
namespace {

constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
constexpr const char* kOciForeignGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
constexpr const char* kDockerForeignGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

StatusOr<Json> Parse(const std::string& body) {
  auto d = Json::Parse(body);
  if (!d.ok() || !d->IsObject()) return Status(Code::kProtocol, "the manifest is not a JSON object");
  return d;
}

Status Lossy(const std::string& what) {
  return Status(Code::kUnsupported, "cannot turn the OCI image into Docker's format without losing " + what);
}

// Docker schema 2 descriptors carry mediaType, size, digest and urls only.
Status CheckDescriptor(const Json& d, const std::string& where) {
  for (const auto& k : d.Keys()) {
    if (k != "mediaType" && k != "size" && k != "digest" && k != "urls" && k != "platform") {
      return Lossy("the '" + k + "' of " + where);
    }
  }
  return OkStatus();
}

// What an object is written with: members replaced in place (appended when
// missing), the rest as they stand, in their order.
struct Overrides {
  std::map<std::string, std::string> strings;
  std::map<std::string, int64_t> ints;  // replaced only where present
};

void WriteObject(JsonWriter& w, const Json& o, const Overrides& ov) {
  w.StartObject();
  std::map<std::string, bool> written;
  for (const auto& [k, v] : o.Members()) {
    w.Key(k);
    if (auto s = ov.strings.find(k); s != ov.strings.end()) {
      w.String(s->second);
      written[k] = true;
    } else if (auto i = ov.ints.find(k); i != ov.ints.end()) {
      w.Int(i->second);
    } else {
      w.Value(v);
    }
  }
  for (const auto& [k, v] : ov.strings) {
    if (!written.count(k)) w.Key(k).String(v);
  }
  w.EndObject();
}

}  // namespace

registry::Manifest ManifestFromBody(std::string body, std::string media_type) {
  registry::Manifest m;
  m.digest = "sha256:" + Sha256Hex(body);
  m.media_type = std::move(media_type);
  m.body = std::move(body);
  return m;
}

bool PlatformWanted(const RewritePolicy& policy, const std::string& os, const std::string& arch) {
  auto in = [](const std::vector<std::string>& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  return in(policy.os, os) && in(policy.arch, arch);
}

StatusOr<registry::Manifest> ConvertManifest(const registry::Manifest& m, const RewritePolicy& policy) {
  if (!policy.oci_to_docker || m.media_type != registry::kOciManifest) return m;
  auto d = Parse(m.body);
  if (!d.ok()) return d.status();
  for (const auto& k : d->Keys()) {
    if (k != "schemaVersion" && k != "mediaType" && k != "config" && k != "layers") return Lossy("its '" + k + "'");
  }
  auto config = d->Find("config");
  auto layers = d->Find("layers");
  if (!config || !config->IsObject() || !layers || !layers->IsArray()) {
    return Status(Code::kProtocol, "an OCI manifest without config or layers");
  }
  SWR_RETURN_IF_ERROR(CheckDescriptor(*config, "its config"));
  if (config->GetString("mediaType") != kOciConfig) {
    return Lossy("its config type '" + config->GetString("mediaType") + "' (not an image)");
  }
  std::vector<std::string> layer_types;
  for (size_t i = 0; i < layers->Size(); ++i) {
    Json l = layers->At(i);
    if (!l.IsObject()) return Status(Code::kProtocol, "a layer is not an object");
    SWR_RETURN_IF_ERROR(CheckDescriptor(l, "a layer"));
    std::string t = l.GetString("mediaType");
    if (t == kOciLayerGzip) {
      layer_types.push_back(kDockerLayerGzip);
    } else if (t == kOciForeignGzip) {
      layer_types.push_back(kDockerForeignGzip);
    } else {
      return Lossy("the layer type '" + t + "' (Docker has gzip layers only)");
    }
  }
  // Docker's field order: schemaVersion, mediaType, config, layers.
  JsonWriter w;
  w.StartObject().Key("schemaVersion").Int(2).Key("mediaType").String(registry::kDockerManifest).Key("config");
  WriteObject(w, *config, {{{"mediaType", kDockerConfig}}, {}});
  w.Key("layers").StartArray();
  for (size_t i = 0; i < layers->Size(); ++i) WriteObject(w, layers->At(i), {{{"mediaType", layer_types[i]}}, {}});
  w.EndArray().EndObject();
  return ManifestFromBody(w.str(), registry::kDockerManifest);
}

StatusOr<std::vector<ListEntry>> ListEntries(const registry::Manifest& list) {
  auto parsed = Parse(list.body);
  if (!parsed.ok()) return parsed.status();
  auto ms = parsed->Find("manifests");
  if (!ms || !ms->IsArray()) return Status(Code::kProtocol, "a list without manifests");
  std::vector<ListEntry> out;
  for (size_t i = 0; i < ms->Size(); ++i) {
    Json e = ms->At(i);
    if (!e.IsObject()) return Status(Code::kProtocol, "a list entry is not an object");
    ListEntry le;
    le.digest = e.GetString("digest");
    le.media_type = e.GetString("mediaType");
    auto size = e.Find("size");
    if (size && size->IsNumber()) le.size = size->AsInt(0);
    auto p = e.Find("platform");
    if (p && p->IsObject()) {
      le.os = p->GetString("os");
      le.arch = p->GetString("architecture");
    }
    out.push_back(std::move(le));
  }
  return out;
}

StatusOr<registry::Manifest> RewriteList(const registry::Manifest& list, const std::vector<std::string>& keep,
                                         const std::vector<registry::Manifest>& replacement,
                                         const RewritePolicy& policy) {
  if (keep.empty()) return Status(Code::kInvalidArgument, "no entry of the list matches the wanted platforms");
  auto d = Parse(list.body);
  if (!d.ok()) return d.status();
  bool convert = policy.oci_to_docker && list.media_type == registry::kOciIndex;
  if (convert) {
    for (const auto& k : d->Keys()) {
      if (k != "schemaVersion" && k != "mediaType" && k != "manifests") return Lossy("the index's '" + k + "'");
    }
  }
  auto ms = d->Find("manifests");
  if (!ms || !ms->IsArray()) return Status(Code::kProtocol, "a list without manifests");
  // The entries kept, each with what replaces its fields.
  std::vector<std::pair<Json, Overrides>> kept;
  for (size_t n = 0; n < ms->Size(); ++n) {
    Json e = ms->At(n);
    std::string digest = e.GetString("digest");
    auto at = std::find(keep.begin(), keep.end(), digest);
    if (at == keep.end()) continue;
    size_t i = static_cast<size_t>(at - keep.begin());
    Overrides ov;
    if (i < replacement.size() && replacement[i].digest != digest) {
      const auto& r = replacement[i];
      ov.strings = {{"digest", r.digest}, {"mediaType", r.media_type}};
      ov.ints = {{"size", static_cast<int64_t>(r.body.size())}};
    }
    if (convert) {
      SWR_RETURN_IF_ERROR(
          CheckDescriptor(e, "a list entry (attestations carry annotations: --os/--arch leaves them out)"));
    }
    kept.emplace_back(e, std::move(ov));
  }
  if (kept.empty()) return Status(Code::kInvalidArgument, "no entry of the list matches the wanted platforms");
  std::string media_type = convert ? registry::kDockerManifestList : list.media_type;
  // The list as it stands, with manifests replaced (and mediaType when
  // converted: in place, or appended).
  JsonWriter w;
  w.StartObject();
  bool media_type_written = false;
  for (const auto& [k, v] : d->Members()) {
    w.Key(k);
    if (k == "manifests") {
      w.StartArray();
      for (const auto& [e, ov] : kept) WriteObject(w, e, ov);
      w.EndArray();
    } else if (k == "mediaType" && convert) {
      w.String(media_type);
      media_type_written = true;
    } else {
      w.Value(v);
    }
  }
  if (convert && !media_type_written) w.Key("mediaType").String(media_type);
  w.EndObject();
  return ManifestFromBody(w.str(), media_type);
}

}  // namespace swr::replication
