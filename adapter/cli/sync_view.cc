#include "sync_view.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

#include <fmt/format.h>

#include "cli_util.h"

namespace swrctl {

namespace {

// How many columns the terminal on stderr has (lines longer than that
// would wrap and break the redraw).
size_t TerminalColumns() {
  struct winsize ws {};
  if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) return ws.ws_col;
  return 100;
}

std::string FitLine(std::string line, size_t columns) {
  if (line.size() >= columns) line = line.substr(0, columns - 4) + "...";
  return line;
}

}  // namespace

void SyncView::Clear() {
  if (drawn_lines_ == 0) return;
  std::cerr << "\r";
  if (drawn_lines_ > 1) std::cerr << "\033[" << drawn_lines_ - 1 << "A";
  std::cerr << "\033[J";
  drawn_lines_ = 0;
}

void SyncView::Finish() {
  if (drawn_lines_ > 0) std::cerr << "\n";
  drawn_lines_ = 0;
}

void SyncView::Draw(const ViewState& s) {
  double rate = s.seconds > 0 ? static_cast<double>(s.bytes) / s.seconds : 0;
  std::string eta;
  if (s.done > 0 && static_cast<size_t>(s.done) < s.total) {
    double per = s.seconds / s.done;
    eta = fmt::format(", ETA {:.0f}s", per * static_cast<double>(s.total - static_cast<size_t>(s.done)));
  }
  std::string flying;
  if (s.images_in_flight > 0) {
    flying = fmt::format(", in progress: {} image{}", s.images_in_flight, s.images_in_flight == 1 ? "" : "s");
    if (!s.moving.empty()) flying += fmt::format(", {} blob{}", s.moving.size(), s.moving.size() == 1 ? "" : "s");
  }
  size_t columns = TerminalColumns();
  std::vector<std::string> lines;
  lines.push_back(fmt::format("{}/{} images ({} skipped, {} failed)  {} at {}/s{}{}", s.done, s.total, s.skipped,
                              s.failed, HumanBytes(static_cast<double>(s.bytes)), HumanBytes(rate), eta, flying));
  // The blobs in flight, oldest first: which repository, which blob, how far.
  constexpr size_t kShown = 8;
  for (size_t i = 0; i < s.moving.size() && i < kShown; ++i) {
    const auto& t = s.moving[i];
    std::string digest = t.digest.substr(0, t.digest.find(':') + 1 + 12);
    std::string of = t.size > 0 ? fmt::format(" / {} {:>3}%", HumanBytes(static_cast<double>(t.size)),
                                              std::min<int64_t>(100, t.bytes * 100 / t.size))
                                : "";
    lines.push_back(fmt::format("  {}  {}{}{}", digest, HumanBytes(static_cast<double>(t.bytes)), of,
                                t.repository.empty() ? "" : "  -> " + t.repository));
  }
  if (s.moving.size() > kShown) lines.push_back(fmt::format("  ... and {} more", s.moving.size() - kShown));
  Clear();
  for (size_t i = 0; i < lines.size(); ++i) {
    std::cerr << (i ? "\n" : "") << FitLine(RunRedactor().RedactLine(lines[i]), columns);
  }
  std::cerr << std::flush;
  drawn_lines_ = static_cast<int>(lines.size());
}

std::string SyncView::ImageLine(const Image& img) {
  const std::string label = img.source + " -> " + img.destination;
  switch (img.outcome) {
    case Outcome::kFailed:
      return fmt::format("failed  {}: {}", label, img.error);
    case Outcome::kSkipped:
      return fmt::format("skipped {} (up to date)", label);
    case Outcome::kCancelled:
      return fmt::format("stopped {}", label);
    default:
      return fmt::format("copied  {}: {}, {} blobs copied, {} mounted, {} there, {:.1f}s", label,
                         HumanBytes(static_cast<double>(img.bytes)), img.blobs_copied, img.blobs_mounted,
                         img.blobs_existing, img.seconds);
  }
}

}  // namespace swrctl
