// Shared helpers on top of the RandomSource port.
#include "loyalty/domain/ports/random_source.h"

#include "loyalty/common/hex.h"

namespace loyalty {

std::string RandomSource::NewId() { return HexEncode(Bytes(12)); }

}  // namespace loyalty
