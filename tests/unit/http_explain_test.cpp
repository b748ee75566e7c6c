// SPDX-License-Identifier: Apache-2.0
// `tern serve --explain`'s recorder (src/http/explain_page.cpp): bounded whatever the
// connection does after its handshake.
#include <gtest/gtest.h>

#include "http/explain_page.h"
#include "trace/trace.h"

namespace tern::http {
namespace {

TEST(ExplainRecorder, KeepsAtMostItsBoundAndNoApplicationData) {
  std::unique_ptr<Observer> observer = explain_recorders()("127.0.0.1:5555");
  auto* recorder = dynamic_cast<trace::Recorder*>(observer.get());
  ASSERT_NE(recorder, nullptr);
  EXPECT_NE(recorder->trace().client_label.find("127.0.0.1:5555"), std::string::npos);
  for (int i = 0; i < 1000; ++i) {
    observer->on_key_schedule("stage " + std::to_string(i));
    observer->on_application_data(Direction::received, 100);
    observer->on_application_data(Direction::sent, 100);
  }
  EXPECT_EQ(recorder->trace().events.size(), kExplainMaxEvents);
  for (const trace::Event& e : recorder->trace().events)
    EXPECT_NE(e.kind, trace::Event::Kind::application_data);
}

}  // namespace
}  // namespace tern::http
