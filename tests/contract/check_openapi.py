#!/usr/bin/env python3
"""Checks that api/openapi.yaml is valid YAML and documents exactly the routes the server registers."""
import pathlib
import re
import sys

import yaml

root = pathlib.Path(sys.argv[1])
spec = yaml.safe_load((root / "api/openapi.yaml").read_text(encoding="utf-8"))
assert spec.get("openapi", "").startswith("3.1"), "openapi.yaml must declare OpenAPI 3.1"

registered = set()
for source in (root / "api/handlers").glob("*.cc"):
    for method, path in re.findall(r'router\.Add\("([A-Z]+)",\s*"([^"]+)"', source.read_text()):
        registered.add((method.lower(), re.sub(r":(\w+)", r"{\1}", path)))

documented = set()
for path, item in spec["paths"].items():
    for method in item:
        if method in ("get", "post", "put", "patch", "delete"):
            documented.add((method, path))


def fail_unresolved(node, where):
    """Every $ref must point at something that exists."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                target = spec
                for part in value.lstrip("#/").split("/"):
                    if part not in target:
                        sys.exit(f"{where}: unresolved $ref {value}")
                    target = target[part]
            else:
                fail_unresolved(value, where)
    elif isinstance(node, list):
        for value in node:
            fail_unresolved(value, where)


fail_unresolved(spec, "openapi.yaml")
missing = sorted(registered - documented)
stale = sorted(documented - registered)
if missing or stale:
    for method, path in missing:
        print(f"served but not in api/openapi.yaml: {method.upper()} {path}")
    for method, path in stale:
        print(f"in api/openapi.yaml but not served: {method.upper()} {path}")
    sys.exit(1)
print(f"openapi.yaml documents all {len(registered)} routes")
