// A read-only JSON view and a writer. RapidJSON stays behind this header.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace swr {

class Json {
 public:
  // Parses a complete document; a truncated or non-JSON body, or one nested
  // deeper than kMaxDepth, is kProtocol.
  static StatusOr<Json> Parse(std::string_view text);
  static constexpr size_t kMaxDepth = 64;

  bool IsNull() const;
  bool IsObject() const;
  bool IsArray() const;
  bool IsString() const;
  bool IsNumber() const;
  bool IsBool() const;

  size_t Size() const;                                   // array length, 0 otherwise
  Json At(size_t i) const;                               // precondition: i < Size()
  std::optional<Json> Find(std::string_view key) const;  // object member
  std::vector<std::string> Keys() const;                 // object member names, in order
  // Object members, in order (duplicates too, as they stand).
  std::vector<std::pair<std::string, Json>> Members() const;

  std::string AsString(std::string_view fallback = "") const;
  int64_t AsInt(int64_t fallback = 0) const;  // integers, and integral doubles
  bool AsBool(bool fallback = false) const;

  std::string GetString(std::string_view key, std::string_view fallback = "") const;
  int64_t GetInt(std::string_view key, int64_t fallback = 0) const;
  bool GetBool(std::string_view key, bool fallback = false) const;
  std::vector<std::string> GetStrings(std::string_view key) const;

  // The value serialised again (compact).
  std::string Dump() const;

 private:
  struct Doc;
  Json(std::shared_ptr<const Doc> doc, const void* value) : doc_(std::move(doc)), value_(value) {}
  std::shared_ptr<const Doc> doc_;
  const void* value_;  // a rapidjson::Value inside doc_
  friend class JsonWriter;
};

class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter& StartObject();
  JsonWriter& EndObject();
  JsonWriter& StartArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view k);
  JsonWriter& String(std::string_view v);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // A value of a parsed document, written as it stands.
  JsonWriter& Value(const Json& v);
  std::string str() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace swr
