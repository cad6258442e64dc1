#include "support/vectors.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/json.h"

namespace swr::testing {
namespace {

Json Load() {
  std::ifstream in(std::string(SWR_TESTDATA_DIR) + "/aksk-vectors.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto json = Json::Parse(ss.str());
  if (!json.ok()) throw std::runtime_error("cannot parse aksk-vectors.json: " + json.status().message());
  return *json;
}

std::vector<std::pair<std::string, std::string>> Headers(const Json& obj) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& k : obj.Keys()) out.emplace_back(k, obj.GetString(k));
  return out;
}

}  // namespace

std::vector<SigningVector> LoadSigningVectors() {
  Json root = Load();
  std::vector<SigningVector> out;
  auto vectors = root.Find("vectors");
  for (size_t i = 0; vectors && i < vectors->Size(); ++i) {
    Json v = vectors->At(i);
    SigningVector s;
    s.id = v.GetString("id");
    s.format = v.GetString("format");
    s.ak = v.GetString("ak");
    s.sk = v.GetString("sk");
    s.method = v.GetString("method");
    s.url = v.GetString("url");
    s.body = v.GetString("body");
    s.region = v.GetString("region");
    s.service = v.GetString("service");
    s.canonical_request = v.GetString("canonical_request");
    s.authorization = v.GetString("authorization");
    if (auto h = v.Find("headers")) s.headers = Headers(*h);
    s.signed_headers = v.GetStrings("signed_headers");
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<LoginKeyVector> LoadLoginKeyVectors() {
  Json root = Load();
  std::vector<LoginKeyVector> out;
  auto list = root.Find("login_key_vectors");
  for (size_t i = 0; list && i < list->Size(); ++i) {
    Json v = list->At(i);
    out.push_back({v.GetString("ak"), v.GetString("sk"), v.GetString("login_key")});
  }
  return out;
}

std::pair<std::vector<std::pair<std::string, std::string>>, std::string> LoadCanonicalQueryVector() {
  Json root = Load();
  auto cq = root.Find("canonical_query_vector");
  std::vector<std::pair<std::string, std::string>> params;
  if (!cq) return {params, ""};
  auto p = cq->Find("params");
  for (size_t i = 0; p && i < p->Size(); ++i) {
    params.emplace_back(p->At(i).At(0).AsString(), p->At(i).At(1).AsString());
  }
  return {params, cq->GetString("canonical")};
}

}  // namespace swr::testing
