// Fixed worker threads for blocking request work, so Pistache's reactor threads never wait on
// the database or scrypt. The queue is bounded: when full, callers answer 503 at once.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace loyalty::api {

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();  // Stop()
  // False when the queue is full or the pool is stopping (the task is not run).
  bool Submit(std::function<void()> task);
  // Refuses new tasks, finishes the queued ones and joins the threads. Idempotent.
  void Stop();

 private:
  void Run();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  size_t max_queued_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace loyalty::api
