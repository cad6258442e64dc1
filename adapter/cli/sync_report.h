// What swrctl sync leaves behind: the JSON report (--report) and the images
// that arrived in image-syncer's format (--output-success-images).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "common/status.h"
#include "sync_model.h"

namespace swrctl {

// {"tool","interrupted","seconds","summary":{...},"rule_errors":[...],"images":[...]}
std::string ReportJson(const std::deque<Image>& images, const std::vector<std::string>& rule_errors, bool interrupted,
                       double seconds);

// The images copied or up to date: source -> destination (a list when
// several), as JSON or YAML.
swr::Status WriteSuccessImages(const std::deque<Image>& images, const std::string& path, bool json);

}  // namespace swrctl
