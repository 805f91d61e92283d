// Reading what a till sends.
#include "api/handlers/pos_request.h"

#include "api/http/problem.h"

namespace loyalty::api {

Error InLine(Error e, const std::string& at) {
  const std::string* field = e.Detail("field");
  const std::string path = at + "." + (field ? *field : "");
  e.message = at + ": " + e.message;
  e.details = {{"field", path}};
  return e;
}

HttpResponse SignatureProblem(const Error& error, const std::string& request_id) {
  HttpResponse r = Problem(error, request_id);
  for (auto& [name, value] : r.headers) {
    if (name == "WWW-Authenticate") value = "Signature";
  }
  return r;
}

Result<std::vector<TillLine>> TillLinesFrom(const Json& body) {
  auto it = body.find("lines");
  if (it == body.end() || !it->is_array()) {
    return InvalidField("lines", "invalid_basket", "lines must be an array of basket lines");
  }
  std::vector<TillLine> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& l = (*it)[i];
    const std::string at = "lines[" + std::to_string(i) + "]";
    if (!l.is_object()) return InvalidField(at, "invalid_basket", at + " must be an object");
    for (const auto& [key, value] : l.items()) {
      if (key != "line_no" && key != "sku" && key != "category" && key != "qty" &&
          key != "unit_price_minor") {
        return InvalidField(at + "." + key, "unknown_field",
                            at + "." + key + " is not a line field");
      }
    }
    auto in_line = [&](Error e) { return Fail(InLine(std::move(e), at)); };
    auto line_no = RequiredInt64(l, "line_no");
    if (!line_no) return in_line(line_no.error());
    auto sku = RequiredString(l, "sku");
    if (!sku) return in_line(sku.error());
    auto category = OptionalString(l, "category");
    if (!category) return in_line(category.error());
    auto qty = RequiredInt64(l, "qty");
    if (!qty) return in_line(qty.error());
    auto price = RequiredInt64(l, "unit_price_minor");
    if (!price) return in_line(price.error());
    if (*line_no < 1 || *line_no > 1'000'000) {
      return InvalidField(at + ".line_no", "invalid_basket", at + ".line_no must be 1 to 1000000");
    }
    TillLine line;
    line.line_no = static_cast<int>(*line_no);
    line.sku = *sku;
    line.category = category->value_or("");
    line.qty = *qty;
    line.unit_price_minor = *price;
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace loyalty::api
