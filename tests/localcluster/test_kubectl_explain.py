"""`kubectl explain` against the OpenAPI v3 documents: Kubernetes 1.37's own schemas."""

from __future__ import annotations

from kubetui.localcluster.registry.resources import default_registry


def test_every_served_kind_has_its_schema_in_its_group_version_document(raw):
    index = raw.json("GET", "/openapi/v3", expect=200)
    for resource in default_registry():
        prefix = f"apis/{resource.group}/{resource.version}" if resource.group else f"api/{resource.version}"
        document = raw.json("GET", index["paths"][prefix]["serverRelativeURL"], expect=200)
        schemas = document["components"]["schemas"]
        kinds = {(gvk["group"], gvk["version"], gvk["kind"])
                 for schema in schemas.values() for gvk in schema.get("x-kubernetes-group-version-kind") or []}
        assert (resource.group, resource.version, resource.kind) in kinds, resource.plural
        dangling = {ref for schema in schemas.values() for ref in _refs(schema)} - set(schemas)
        assert not dangling, (prefix, dangling)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_explain_a_field_prints_its_type_description_and_fields(kubectl):
    result = kubectl("explain", "pods.spec.containers")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n\n\nDESCRIPTION:\n"
        "    List of containers belonging to the pod. Containers cannot currently be\n"
        "    added or removed. There must be at least one container in a Pod. Cannot be\n"
        "    updated.\n    A single application container that you want to run within a pod.\n")
    for line in ("  image\t<string>\n", "  name\t<string> -required-\n", "  ports\t<[]ContainerPort>\n",
                 "  resources\t<ResourceRequirements>\n", "  securityContext\t<SecurityContext>\n"):
        assert line in result.stdout
    target = kubectl("explain", "services.spec.ports.targetPort").stdout
    assert "FIELD: targetPort <IntOrString>" in target and "IntOrString is a type that can hold" in target


def test_explain_recursive_walks_the_whole_tree(kubectl):
    result = kubectl("explain", "deployment.spec", "--recursive")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                                    "FIELD: spec <DeploymentSpec>\n")
    assert ("  selector\t<LabelSelector> -required-\n    matchExpressions\t<[]LabelSelectorRequirement>\n"
            "      key\t<string> -required-\n") in result.stdout
    assert "      containers\t<[]Container> -required-\n" in result.stdout
    missing = kubectl("explain", "pods.spec.nonsense")
    assert missing.returncode != 0 and 'field "nonsense" does not exist' in missing.stderr
