// UTF-8 checks for text people type: names and display names end up in JSON, which must be
// valid UTF-8, and in length limits counted in characters, not bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace loyalty {

// Decodes strictly (no overlong forms, surrogates or values past U+10FFFF) and counts code
// points; nullopt when invalid or when the text holds C0/C1 control characters.
std::optional<size_t> CountPrintableCodePoints(std::string_view s);

}  // namespace loyalty
