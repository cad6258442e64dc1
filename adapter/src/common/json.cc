#include "common/json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace swr {

struct Json::Doc {
  rapidjson::Document d;
};

namespace {
const rapidjson::Value& V(const void* p) {
  return *static_cast<const rapidjson::Value*>(p);
}
}  // namespace

namespace {

// Deepest nesting of arrays and objects in `text` (strings skipped), counted
// without recursion; stops counting past `limit`.
size_t NestingDepth(std::string_view text, size_t limit) {
  size_t depth = 0, max = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max && (max = depth) > limit) return max;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max;
}

}  // namespace

StatusOr<Json> Json::Parse(std::string_view text) {
  if (NestingDepth(text, kMaxDepth) > kMaxDepth) {
    return Status(Code::kProtocol, "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep");
  }
  auto doc = std::make_shared<Doc>();
  // Iterative parsing: no recursion whatever the input (the depth check above
  // also keeps Dump(), which recurses, bounded).
  doc->d.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc->d.HasParseError()) {
    return Status(Code::kProtocol, std::string("malformed JSON at offset ") + std::to_string(doc->d.GetErrorOffset()) +
                                       ": " + rapidjson::GetParseError_En(doc->d.GetParseError()));
  }
  const void* root = &doc->d;
  return Json(std::shared_ptr<const Doc>(doc), root);
}

bool Json::IsNull() const {
  return V(value_).IsNull();
}
bool Json::IsObject() const {
  return V(value_).IsObject();
}
bool Json::IsArray() const {
  return V(value_).IsArray();
}
bool Json::IsString() const {
  return V(value_).IsString();
}
bool Json::IsNumber() const {
  return V(value_).IsNumber();
}
bool Json::IsBool() const {
  return V(value_).IsBool();
}

size_t Json::Size() const {
  return IsArray() ? V(value_).Size() : 0;
}

Json Json::At(size_t i) const {
  return Json(doc_, &V(value_)[static_cast<rapidjson::SizeType>(i)]);
}

std::optional<Json> Json::Find(std::string_view key) const {
  if (!IsObject()) return std::nullopt;
  const auto& obj = V(value_);
  auto it = obj.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  if (it == obj.MemberEnd()) return std::nullopt;
  return Json(doc_, &it->value);
}

std::vector<std::string> Json::Keys() const {
  std::vector<std::string> out;
  if (!IsObject()) return out;
  for (auto it = V(value_).MemberBegin(); it != V(value_).MemberEnd(); ++it) {
    out.emplace_back(it->name.GetString(), it->name.GetStringLength());
  }
  return out;
}

std::string Json::AsString(std::string_view fallback) const {
  const auto& v = V(value_);
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  return std::string(fallback);
}

int64_t Json::AsInt(int64_t fallback) const {
  const auto& v = V(value_);
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsUint64()) return static_cast<int64_t>(v.GetUint64());
  if (v.IsDouble()) {
    double d = v.GetDouble();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  return fallback;
}

bool Json::AsBool(bool fallback) const {
  const auto& v = V(value_);
  return v.IsBool() ? v.GetBool() : fallback;
}

std::string Json::GetString(std::string_view key, std::string_view fallback) const {
  auto m = Find(key);
  return m ? m->AsString(fallback) : std::string(fallback);
}

int64_t Json::GetInt(std::string_view key, int64_t fallback) const {
  auto m = Find(key);
  return m ? m->AsInt(fallback) : fallback;
}

bool Json::GetBool(std::string_view key, bool fallback) const {
  auto m = Find(key);
  return m ? m->AsBool(fallback) : fallback;
}

std::vector<std::string> Json::GetStrings(std::string_view key) const {
  std::vector<std::string> out;
  auto m = Find(key);
  if (!m || !m->IsArray()) return out;
  for (size_t i = 0; i < m->Size(); ++i) {
    Json item = m->At(i);
    if (item.IsString()) out.push_back(item.AsString());
  }
  return out;
}

std::vector<std::pair<std::string, Json>> Json::Members() const {
  std::vector<std::pair<std::string, Json>> out;
  if (!IsObject()) return out;
  for (auto it = V(value_).MemberBegin(); it != V(value_).MemberEnd(); ++it) {
    out.emplace_back(std::string(it->name.GetString(), it->name.GetStringLength()), Json(doc_, &it->value));
  }
  return out;
}

std::string Json::Dump() const {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  V(value_).Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

struct JsonWriter::Impl {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w{buf};
};

JsonWriter::JsonWriter() : impl_(std::make_unique<Impl>()) {}
JsonWriter::~JsonWriter() = default;
JsonWriter& JsonWriter::StartObject() {
  impl_->w.StartObject();
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  impl_->w.EndObject();
  return *this;
}
JsonWriter& JsonWriter::StartArray() {
  impl_->w.StartArray();
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  impl_->w.EndArray();
  return *this;
}
JsonWriter& JsonWriter::Key(std::string_view k) {
  impl_->w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()), true);
  return *this;
}
JsonWriter& JsonWriter::String(std::string_view v) {
  impl_->w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()), true);
  return *this;
}
JsonWriter& JsonWriter::Value(const Json& v) {
  V(v.value_).Accept(impl_->w);
  return *this;
}
JsonWriter& JsonWriter::Int(int64_t v) {
  impl_->w.Int64(v);
  return *this;
}
JsonWriter& JsonWriter::Bool(bool v) {
  impl_->w.Bool(v);
  return *this;
}
JsonWriter& JsonWriter::Null() {
  impl_->w.Null();
  return *this;
}
std::string JsonWriter::str() const {
  return std::string(impl_->buf.GetString(), impl_->buf.GetSize());
}

}  // namespace swr
