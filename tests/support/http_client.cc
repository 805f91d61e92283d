// libcurl-based test client.
#include "tests/support/http_client.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace loyalty::testing {
namespace {

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n ") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

std::map<std::string, std::string> Bearer(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace

nlohmann::json HttpResult::Json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpResult HttpClient::Request(const std::string& method, const std::string& path,
                               const std::string& body,
                               const std::map<std::string, std::string>& headers,
                               long timeout_ms, const std::string& source_address) const {
  HttpResult result;
  CURL* curl = curl_easy_init();
  const std::string url = base_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  const std::string interface = "host!" + source_address;
  if (!source_address.empty()) curl_easy_setopt(curl, CURLOPT_INTERFACE, interface.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  if (!body.empty() || method == "POST" || method == "PATCH" || method == "PUT") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_slist* list = nullptr;
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, (name + ": " + value).c_str());
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    has_type = has_type || lower == "content-type";
  }
  if (!has_type && !body.empty()) {
    list = curl_slist_append(list, "Content-Type: application/json");
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip for big bodies
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  const auto started = std::chrono::steady_clock::now();
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

HttpResult HttpClient::Get(const std::string& path, const std::string& token) const {
  return Request("GET", path, "", Bearer(token));
}
HttpResult HttpClient::Post(const std::string& path, const nlohmann::json& body,
                            const std::string& token) const {
  return Request("POST", path, body.dump(), Bearer(token));
}
HttpResult HttpClient::Patch(const std::string& path, const nlohmann::json& body,
                             const std::string& token) const {
  return Request("PATCH", path, body.dump(), Bearer(token));
}
HttpResult HttpClient::Delete(const std::string& path, const std::string& token) const {
  return Request("DELETE", path, "", Bearer(token));
}

std::string HttpClient::Login(const std::string& username, const std::string& password) const {
  const HttpResult r = Post("/v1/auth/login", {{"username", username}, {"password", password}});
  EXPECT_EQ(r.status, 200) << r.body;
  const auto j = r.Json();
  return j.is_object() && j.contains("token") ? j["token"].get<std::string>() : "";
}

std::string UrlEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace loyalty::testing
