// Route table: "/v1/members/:id" patterns per method, answering 404 and 405 (with Allow) itself.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http/http_types.h"

namespace loyalty::api {

using Handler = std::function<HttpResponse(HttpRequest&)>;

// "%20" -> " "; a '%' not followed by two hex digits is kept as it is.
std::string PercentDecode(const std::string& in);

class Router {
 public:
  void Add(std::string method, std::string pattern, Handler handler);

  struct Match {
    const Handler* handler = nullptr;   // null when nothing matched
    std::vector<std::string> allowed;   // methods of a path that matched with another method
    std::string pattern;                // the matched pattern, for metrics labels
  };
  // Fills request.path_params on a match.
  Match Find(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace loyalty::api
