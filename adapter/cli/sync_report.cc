#include "sync_report.h"

#include <map>

#include <yaml-cpp/yaml.h>

#include "cli_util.h"
#include "common/json.h"

namespace swrctl {

std::string ReportJson(const std::deque<Image>& images, const std::vector<std::string>& rule_errors, bool interrupted,
                       double seconds) {
  swr::JsonWriter w;
  int copied = 0, skipped = 0, failed = 0, cancelled = 0;
  int64_t bytes = 0;
  for (const auto& i : images) {
    copied += i.outcome == Outcome::kCopied;
    skipped += i.outcome == Outcome::kSkipped;
    failed += i.outcome == Outcome::kFailed;
    cancelled += i.outcome == Outcome::kCancelled || i.outcome == Outcome::kPending;
    bytes += i.bytes;
  }
  w.StartObject();
  w.Key("tool").String("swrctl sync");
  w.Key("interrupted").Bool(interrupted);
  w.Key("seconds").Int(static_cast<int64_t>(seconds));
  w.Key("summary")
      .StartObject()
      .Key("images")
      .Int(static_cast<int64_t>(images.size()))
      .Key("copied")
      .Int(copied)
      .Key("skipped")
      .Int(skipped)
      .Key("failed")
      .Int(failed)
      .Key("cancelled")
      .Int(cancelled)
      .Key("bytes_copied")
      .Int(bytes)
      .EndObject();
  w.Key("rule_errors").StartArray();
  for (const auto& e : rule_errors) w.String(RunRedactor().RedactLine(e));
  w.EndArray();
  w.Key("images").StartArray();
  for (const auto& i : images) {
    Outcome o = i.outcome == Outcome::kPending ? Outcome::kCancelled : i.outcome;
    w.StartObject()
        .Key("source")
        .String(i.source)
        .Key("destination")
        .String(i.destination)
        .Key("rule")
        .String(i.where)
        .Key("status")
        .String(OutcomeName(o))
        .Key("digest")
        .String(i.digest)
        .Key("rewritten")
        .Bool(i.rewritten)
        .Key("bytes_copied")
        .Int(i.bytes)
        .Key("blobs_copied")
        .Int(i.blobs_copied)
        .Key("blobs_mounted")
        .Int(i.blobs_mounted)
        .Key("blobs_skipped")
        .Int(i.blobs_existing)
        .Key("duration_ms")
        .Int(static_cast<int64_t>(i.seconds * 1000))
        .Key("attempts")
        .Int(i.attempts)
        .Key("error")
        .String(RunRedactor().RedactLine(i.error))
        .EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str();
}

swr::Status WriteSuccessImages(const std::deque<Image>& images, const std::string& path, bool json) {
  std::map<std::string, std::vector<std::string>> ok;
  for (const auto& i : images) {
    if (i.outcome == Outcome::kCopied || i.outcome == Outcome::kSkipped) ok[i.source].push_back(i.destination);
  }
  std::string text;
  if (json) {
    swr::JsonWriter w;
    w.StartObject();
    for (const auto& [src, dsts] : ok) {
      w.Key(src);
      if (dsts.size() == 1) {
        w.String(dsts[0]);
      } else {
        w.StartArray();
        for (const auto& d : dsts) w.String(d);
        w.EndArray();
      }
    }
    w.EndObject();
    text = w.str() + "\n";
  } else {
    YAML::Emitter e;
    e << YAML::BeginMap;
    for (const auto& [src, dsts] : ok) {
      e << YAML::Key << src << YAML::Value;
      if (dsts.size() == 1) {
        e << dsts[0];
      } else {
        e << YAML::BeginSeq;
        for (const auto& d : dsts) e << d;
        e << YAML::EndSeq;
      }
    }
    e << YAML::EndMap;
    text = std::string(e.c_str()) + "\n";
  }
  return WriteFileSafely(path, text);
}

}  // namespace swrctl
