// What swrctl sync shows while it runs: on a terminal a view drawn in place
// (a summary line and a line per blob in flight), otherwise one line per
// image. The caller serialises every call (its output lock).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "replication/transfer_gate.h"
#include "sync_model.h"

namespace swrctl {

struct ViewState {
  size_t total = 0;
  int done = 0, skipped = 0, failed = 0, images_in_flight = 0;
  int64_t bytes = 0;  // on the wire
  double seconds = 0;
  std::vector<swr::replication::TransferGate::Transfer> moving;
};

class SyncView {
 public:
  // Draws the view again, in place of the last one.
  void Draw(const ViewState& state);
  // Takes the view away (a log line goes where it was; the next Draw puts
  // it back below).
  void Clear();
  // Leaves the last view on the screen and moves below it.
  void Finish();

  // The line for an image that ended (no terminal).
  static std::string ImageLine(const Image& img);

 private:
  int drawn_lines_ = 0;
};

}  // namespace swrctl
