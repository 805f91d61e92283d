// Segment-by-segment route matching.
#include "api/http/router.h"

#include <sstream>

namespace loyalty::api {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '/')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

// Path parameters arrive percent-encoded ("%20" for a space in a typed coupon code).
bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
             std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i].starts_with(':')) {
      if (params) (*params)[pattern[i].substr(1)] = PercentDecode(path[i]);
    } else if (pattern[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string PercentDecode(const std::string& in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

void Router::Add(std::string method, std::string pattern, Handler handler) {
  auto segments = Split(pattern);
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

Router::Match Router::Find(HttpRequest& request) const {
  Match match;
  const auto path = Split(request.path);
  for (const auto& route : routes_) {
    if (!Matches(route.segments, path, nullptr)) continue;
    if (route.method == request.method) {
      Matches(route.segments, path, &request.path_params);
      match.handler = &route.handler;
      match.pattern = route.pattern;
      return match;
    }
    match.allowed.push_back(route.method);
    match.pattern = route.pattern;
  }
  return match;
}

}  // namespace loyalty::api
