// Runs a function every N seconds on its own thread until destroyed (the ledger sweep in serve).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace loyalty::api {

class PeriodicTask {
 public:
  PeriodicTask(std::chrono::seconds every, std::function<void()> task)
      : thread_([this, every, task = std::move(task)] {
          std::unique_lock lock(mutex_);
          while (!stop_) {
            lock.unlock();
            task();
            lock.lock();
            wake_.wait_for(lock, every, [this] { return stop_; });
          }
        }) {}
  ~PeriodicTask() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace loyalty::api
