#include "replication/manifest_rewrite.h"

#include <algorithm>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "auth/crypto.h"
#include "registry/reference.h"

namespace swr::replication {
namespace {

using rapidjson::Document;
using rapidjson::Value;

constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
constexpr const char* kDockerConfig = "application/vnd.docker.container.image.v1+json";
constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
constexpr const char* kDockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
constexpr const char* kOciForeignGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
constexpr const char* kDockerForeignGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

StatusOr<Document> Parse(const std::string& body) {
  Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) return Status(Code::kProtocol, "the manifest is not a JSON object");
  return d;
}

std::string Serialize(const Document& d) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  d.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string Str(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString(), it->value.GetStringLength())
                                                      : std::string();
}

Status Lossy(const std::string& what) {
  return Status(Code::kUnsupported, "cannot turn the OCI image into Docker's format without losing " + what);
}

// Docker schema 2 descriptors carry mediaType, size, digest and urls only.
Status CheckDescriptor(const Value& d, const std::string& where) {
  for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
    std::string k(m->name.GetString(), m->name.GetStringLength());
    if (k != "mediaType" && k != "size" && k != "digest" && k != "urls" && k != "platform") {
      return Lossy("the '" + k + "' of " + where);
    }
  }
  return OkStatus();
}

void SetString(Value& o, const char* key, const std::string& v, Document::AllocatorType& a) {
  Value val(v.c_str(), static_cast<rapidjson::SizeType>(v.size()), a);
  auto it = o.FindMember(key);
  if (it != o.MemberEnd()) {
    it->value = val;
  } else {
    o.AddMember(Value(key, a), val, a);
  }
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
  auto parsed = Parse(m.body);
  if (!parsed.ok()) return parsed.status();
  Document& d = *parsed;
  auto& a = d.GetAllocator();
  for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
    std::string k(it->name.GetString(), it->name.GetStringLength());
    if (k != "schemaVersion" && k != "mediaType" && k != "config" && k != "layers") return Lossy("its '" + k + "'");
  }
  auto config = d.FindMember("config");
  auto layers = d.FindMember("layers");
  if (config == d.MemberEnd() || !config->value.IsObject() || layers == d.MemberEnd() || !layers->value.IsArray()) {
    return Status(Code::kProtocol, "an OCI manifest without config or layers");
  }
  SWR_RETURN_IF_ERROR(CheckDescriptor(config->value, "its config"));
  if (Str(config->value, "mediaType") != kOciConfig) {
    return Lossy("its config type '" + Str(config->value, "mediaType") + "' (not an image)");
  }
  SetString(config->value, "mediaType", kDockerConfig, a);
  for (auto& l : layers->value.GetArray()) {
    if (!l.IsObject()) return Status(Code::kProtocol, "a layer is not an object");
    SWR_RETURN_IF_ERROR(CheckDescriptor(l, "a layer"));
    std::string t = Str(l, "mediaType");
    if (t == kOciLayerGzip) {
      SetString(l, "mediaType", kDockerLayerGzip, a);
    } else if (t == kOciForeignGzip) {
      SetString(l, "mediaType", kDockerForeignGzip, a);
    } else {
      return Lossy("the layer type '" + t + "' (Docker has gzip layers only)");
    }
  }
  // Docker's field order: schemaVersion, mediaType, config, layers.
  Document out;
  out.SetObject();
  auto& oa = out.GetAllocator();
  out.AddMember("schemaVersion", 2, oa);
  out.AddMember("mediaType", Value(registry::kDockerManifest, oa), oa);
  out.AddMember("config", Value(config->value, oa), oa);
  out.AddMember("layers", Value(layers->value, oa), oa);
  return ManifestFromBody(Serialize(out), registry::kDockerManifest);
}

StatusOr<std::vector<ListEntry>> ListEntries(const registry::Manifest& list) {
  auto parsed = Parse(list.body);
  if (!parsed.ok()) return parsed.status();
  auto ms = parsed->FindMember("manifests");
  if (ms == parsed->MemberEnd() || !ms->value.IsArray()) return Status(Code::kProtocol, "a list without manifests");
  std::vector<ListEntry> out;
  for (const auto& e : ms->value.GetArray()) {
    if (!e.IsObject()) return Status(Code::kProtocol, "a list entry is not an object");
    ListEntry le;
    le.digest = Str(e, "digest");
    le.media_type = Str(e, "mediaType");
    auto size = e.FindMember("size");
    if (size != e.MemberEnd() && size->value.IsInt64()) le.size = size->value.GetInt64();
    auto p = e.FindMember("platform");
    if (p != e.MemberEnd() && p->value.IsObject()) {
      le.os = Str(p->value, "os");
      le.arch = Str(p->value, "architecture");
    }
    out.push_back(std::move(le));
  }
  return out;
}

StatusOr<registry::Manifest> RewriteList(const registry::Manifest& list, const std::vector<std::string>& keep,
                                         const std::vector<registry::Manifest>& replacement,
                                         const RewritePolicy& policy) {
  if (keep.empty()) return Status(Code::kInvalidArgument, "no entry of the list matches the wanted platforms");
  auto parsed = Parse(list.body);
  if (!parsed.ok()) return parsed.status();
  Document& d = *parsed;
  auto& a = d.GetAllocator();
  bool convert = policy.oci_to_docker && list.media_type == registry::kOciIndex;
  if (convert) {
    for (auto it = d.MemberBegin(); it != d.MemberEnd(); ++it) {
      std::string k(it->name.GetString(), it->name.GetStringLength());
      if (k != "schemaVersion" && k != "mediaType" && k != "manifests") return Lossy("the index's '" + k + "'");
    }
  }
  auto ms = d.FindMember("manifests");
  if (ms == d.MemberEnd() || !ms->value.IsArray()) return Status(Code::kProtocol, "a list without manifests");
  Value kept(rapidjson::kArrayType);
  for (auto& e : ms->value.GetArray()) {
    std::string digest = Str(e, "digest");
    if (std::find(keep.begin(), keep.end(), digest) == keep.end()) continue;
    size_t i = static_cast<size_t>(std::find(keep.begin(), keep.end(), digest) - keep.begin());
    if (i < replacement.size() && replacement[i].digest != digest) {
      const auto& r = replacement[i];
      SetString(e, "digest", r.digest, a);
      SetString(e, "mediaType", r.media_type, a);
      auto size = e.FindMember("size");
      if (size != e.MemberEnd()) size->value.SetInt64(static_cast<int64_t>(r.body.size()));
    }
    if (convert) SWR_RETURN_IF_ERROR(CheckDescriptor(e, "a list entry (attestations carry annotations: --os/--arch "
                                                       "leaves them out)"));
    kept.PushBack(Value(e, a), a);
  }
  if (kept.Empty()) return Status(Code::kInvalidArgument, "no entry of the list matches the wanted platforms");
  ms->value = kept;
  std::string media_type = list.media_type;
  if (convert) {
    media_type = registry::kDockerManifestList;
    SetString(d, "mediaType", media_type, a);
  }
  return ManifestFromBody(Serialize(d), media_type);
}

}  // namespace swr::replication
