#!/usr/bin/env bash
# Fails when domain or service code includes an I/O or JSON library (GUIDE §2 dependency rule).
set -euo pipefail
root=$1
leaks=$(grep -rnE '#include *[<"](pistache|cppconn/|mysql_|mysql\.h|hiredis|openssl/|curl/|nlohmann/|spdlog/)' \
  "$root/loyalty/common" "$root/loyalty/domain" "$root/loyalty/service" \
  "$root/campaigns/domain" "$root/campaigns/service" || true)
if [[ -n $leaks ]]; then
  echo "domain/service code must not include I/O or JSON libraries:"
  echo "$leaks"
  exit 1
fi
echo "layering ok"
