// Error and Result<T>: failures as values with a canonical code, a stable slug and a message.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace loyalty {

// Canonical codes chosen by meaning (absl names); api/ maps them to HTTP in one table.
enum class Code {
  kInvalidArgument,     // the caller sent something wrong; fixing the input helps
  kNotFound,            // the thing named does not exist (or is not visible to the caller)
  kAlreadyExists,       // a unique value is taken; details name the existing owner
  kFailedPrecondition,  // valid input, but the current state does not allow it
  kAborted,             // a conflict with a concurrent change; retrying may succeed
  kUnauthenticated,     // no or bad credentials
  kPermissionDenied,    // authenticated, but the role or store scope does not allow it
  kResourceExhausted,   // rate limited; retry later
  kUnavailable,         // a dependency (database) is down; retry later
  kInternal,            // a bug or an invariant broken; never caused by input
};

struct Error {
  Code code = Code::kInternal;
  std::string slug;     // stable machine-readable reason, e.g. "duplicate_phone"
  std::string message;  // a sentence a person can act on
  // Extra facts for the client, e.g. {"field", "phone"} or {"existing_member_id", "..."}.
  std::vector<std::pair<std::string, std::string>> details;

  Error& With(std::string key, std::string value) {
    details.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  const std::string* Detail(std::string_view key) const {
    for (const auto& [k, v] : details) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> Fail(Code code, std::string slug, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(slug), std::move(message), {}});
}
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

// Shorthand for the most common failure: a named input field is wrong.
inline tl::unexpected<Error> InvalidField(std::string field, std::string slug,
                                          std::string message) {
  Error e{Code::kInvalidArgument, std::move(slug), std::move(message), {}};
  e.With("field", std::move(field));
  return tl::unexpected<Error>(std::move(e));
}

}  // namespace loyalty
