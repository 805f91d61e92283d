// FakeClock: a loyalty::Clock that tests set and move by hand (expiry, rate-limit windows, dates).
#pragma once

#include <date/date.h>

#include <atomic>
#include <chrono>
#include <cstdint>

#include "loyalty/common/clock.h"

namespace loyalty::test_support {

// Fakes loyalty::Clock (common/clock.h). Time stands still until Set() or Advance() moves it;
// safe to read and move from several threads.
class FakeClock final : public Clock {
 public:
  // 2026-03-01T02:00:00Z (10:00 in Asia/Shanghai) unless told otherwise.
  static Instant DefaultStart() {
    using namespace std::chrono;
    return Instant(date::sys_days(date::year{2026} / 3 / 1) + hours(2));
  }

  explicit FakeClock(Instant start = DefaultStart()) : micros_(start.time_since_epoch().count()) {}

  Instant Now() const override { return Instant(std::chrono::microseconds(micros_.load())); }

  void Set(Instant t) { micros_.store(t.time_since_epoch().count()); }

  template <typename Rep, typename Period>
  void Advance(std::chrono::duration<Rep, Period> d) {
    micros_.fetch_add(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace loyalty::test_support
