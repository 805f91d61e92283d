// Conversions between domain values and MariaDB text forms.
#include "loyalty/mysql/sql_values.h"

#include <cppconn/datatype.h>
#include <date/date.h>

#include <sstream>

namespace loyalty {

std::string ToSqlTime(Instant t) { return date::format("%F %T", t); }

Instant FromSqlTime(const std::string& text) {
  std::istringstream in(text);
  Instant t{};
  in >> date::parse("%F %T", t);
  return t;
}

void BindOptional(sql::PreparedStatement& s, int index, const std::optional<std::string>& v) {
  if (v) {
    s.setString(index, *v);
  } else {
    s.setNull(index, sql::DataType::VARCHAR);
  }
}

std::optional<std::string> GetOptional(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return std::nullopt;
  return std::string(rs.getString(column));
}

void BindOptionalTime(sql::PreparedStatement& s, int index, const std::optional<Instant>& t) {
  if (t) {
    s.setString(index, ToSqlTime(*t));
  } else {
    s.setNull(index, sql::DataType::TIMESTAMP);
  }
}

std::optional<Instant> GetOptionalTime(sql::ResultSet& rs, const char* column) {
  auto text = GetOptional(rs, column);
  return text ? std::optional(FromSqlTime(*text)) : std::nullopt;
}

}  // namespace loyalty
