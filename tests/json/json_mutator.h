// Random edits of JSON documents for the codecs' never-throw tests: values of every type (with the
// codec's own vocabulary of numbers, strings and keys), inserted, replaced and erased members.
#pragma once

#include <cmath>
#include <cstdint>
#include <exception>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "loyalty/common/error.h"

namespace loyalty::testing {

// What a codec's refusal of a mutated document must be: kInvalidArgument with `slug`, a
// non-empty "field" detail that starts the message, and both serialisable by the problem+json
// writer (bad UTF-8 in a key must not make the answer itself fail).
inline ::testing::AssertionResult IsActionableRefusal(const Error& error, const std::string& slug) {
  auto fail = [&](const char* why) {
    return ::testing::AssertionFailure() << why << ": " << error.slug << " " << error.message;
  };
  if (error.code != Code::kInvalidArgument) return fail("not invalid_argument");
  if (error.slug != slug) return fail(("slug is not " + slug).c_str());
  const std::string* field = error.Detail("field");
  if (field == nullptr || field->empty()) return fail("no field detail");
  if (error.message.rfind(*field, 0) != 0) return fail("the message does not start with the field");
  try {
    (void)nlohmann::json(error.message).dump();
    (void)nlohmann::json(*field).dump();
  } catch (const std::exception&) {
    return fail("message or field cannot be written as JSON");
  }
  return ::testing::AssertionSuccess();
}

class JsonMutator {
 public:
  using Json = nlohmann::json;

  // What a codec's documents are made of, so mutations hit its real names and edge values.
  struct Vocabulary {
    std::vector<int64_t> ints;         // besides the int64/int32 edges, -1, 0 and 1
    std::vector<std::string> strings;  // enum names, dates, ids, bad UTF-8
    std::vector<std::string> keys;     // field names, near-misses, odd keys
  };

  JsonMutator(uint32_t seed, Vocabulary vocabulary) : rng_(seed), words_(std::move(vocabulary)) {
    words_.ints.insert(words_.ints.begin(),
                       {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                        int64_t{std::numeric_limits<int>::max()} + 1,
                        int64_t{std::numeric_limits<int>::min()} - 1, -1, 0, 1});
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  Json RandomValue(int depth) {
    switch (Pick(depth > 0 ? 10 : 8)) {
      case 0: return nullptr;
      case 1: return Pick(2) == 0;
      case 2: return Pick(3000) - 5;
      case 3: return words_.ints[PickIndex(words_.ints)];
      case 4: return Pick(2) == 0 ? std::numeric_limits<uint64_t>::max() : uint64_t{1} << 63;
      case 5: {
        const double v[] = {1.5, 2.0, -0.0, 1e30, -1e30, 9.3e18, 100.0,
                            std::nan(""), std::numeric_limits<double>::infinity()};
        return v[Pick(static_cast<int>(std::size(v)))];
      }
      case 6: return words_.strings[PickIndex(words_.strings)];
      case 7: return RandomKey();
      case 8: {
        Json a = Json::array();
        for (int i = Pick(4); i > 0; --i) a.push_back(RandomValue(depth - 1));
        return a;
      }
      default: {
        Json o = Json::object();
        for (int i = Pick(4); i > 0; --i) o[RandomKey()] = RandomValue(depth - 1);
        return o;
      }
    }
  }

  std::string RandomKey() {
    if (Pick(4) == 0) return std::string(static_cast<size_t>(Pick(100)), 'z');
    return words_.keys[PickIndex(words_.keys)];
  }

  // Replaces, inserts, erases or appends at random places in `doc`.
  void Mutate(Json& doc) {
    std::vector<Json::json_pointer> nodes;
    Collect(doc, Json::json_pointer(), nodes);
    const Json::json_pointer at = nodes[PickIndex(nodes)];
    Json& node = at.empty() ? doc : doc[at];
    switch (Pick(4)) {
      case 0:
        node = RandomValue(2);
        break;
      case 1:
        if (node.is_object()) node[RandomKey()] = RandomValue(1);
        break;
      case 2:
        if (node.is_object() && !node.empty()) {
          auto it = node.begin();
          std::advance(it, Pick(static_cast<int>(node.size())));
          node.erase(it);
        }
        break;
      default:
        if (node.is_array()) node.push_back(RandomValue(1));
        break;
    }
  }

 private:
  template <typename V>
  size_t PickIndex(const V& v) {
    return static_cast<size_t>(Pick(static_cast<int>(v.size())));
  }

  static void Collect(const Json& j, const Json::json_pointer& at,
                      std::vector<Json::json_pointer>& out) {
    out.push_back(at);
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) Collect(*it, at / it.key(), out);
    } else if (j.is_array()) {
      for (size_t i = 0; i < j.size(); ++i) Collect(j[i], at / i, out);
    }
  }

  std::mt19937 rng_;
  Vocabulary words_;
};

}  // namespace loyalty::testing
