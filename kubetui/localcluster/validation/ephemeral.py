"""Ephemeral containers as kube-apiserver validates them (`kubectl debug`).

`ephemeral_containers(spec)` is validateEphemeralContainers, part of every pod spec's checks;
`validate_ephemeral_update(old, new)` is ValidatePodEphemeralContainersUpdate, what the
pods/ephemeralcontainers subresource adds: existing ones may be neither removed nor changed
(the refusal carries go-cmp's diff of the container, as the real one does). Key decision: the
allow-list of fields is the Go one, in struct order, so a refusal names fields in the same order.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery import causes as c
from kubetui.localcluster.apimachinery.causes import as_dict, as_list, as_str
from kubetui.localcluster.validation.core_types import go_type, to_go
from kubetui.localcluster.apimachinery.gocmp import diff, semantic_equal

NOT_FOR_EPHEMERAL = "cannot be set for an Ephemeral Container"
# EphemeralContainerCommon's fields that must stay unset, in the struct's order.
_DISALLOWED = ("ports", "resources", "resizePolicy", "restartPolicy", "restartPolicyRules",
               "livenessProbe", "readinessProbe", "startupProbe", "lifecycle")
_EPHEMERAL = go_type("EphemeralContainer")


def _is_set(value) -> bool:
    """Different from Go's zero value (an empty map or list decodes as a nil one)."""
    if isinstance(value, dict):
        return any(_is_set(item) for item in value.values())
    if isinstance(value, list):
        return bool(value)
    return value not in (None, "", 0, False)


def ephemeral_containers(spec: dict, path: str = "spec.ephemeralContainers") -> list[dict]:
    out: list[dict] = []
    containers = [as_str(as_dict(x).get("name")) for x in as_list(spec.get("containers"))]
    inits = [as_str(as_dict(x).get("name")) for x in as_list(spec.get("initContainers"))]
    others, every = set(containers + inits), set(containers + inits)
    for i, container in enumerate(as_list(spec.get("ephemeralContainers"))):
        container, item = as_dict(container), f"{path}[{i}]"
        name = as_str(container.get("name"))
        if not name:
            out.append(c.required(f"{item}.name"))
        elif name in every:
            out.append(c.duplicate(f"{item}.name", name))
        else:
            every.add(name)
        if not container.get("image"):
            out.append(c.required(f"{item}.image"))
        target = as_str(container.get("targetContainerName"))
        if target and target not in others:
            out.append(c.not_found(f"{item}.targetContainerName", target))
        for key in _DISALLOWED:
            if _is_set(container.get(key)):
                out.append(c.forbidden(f"{item}.{key}", NOT_FOR_EPHEMERAL))
        for j, mount in enumerate(as_list(container.get("volumeMounts"))):
            for key in ("subPath", "subPathExpr"):
                if as_dict(mount).get(key):
                    out.append(c.forbidden(f"{item}.volumeMounts[{j}].{key}", NOT_FOR_EPHEMERAL))
    return out


def set_on_create(kind: str, obj: dict) -> list[dict]:
    """ValidatePodCreate: a new pod may not bring ephemeral containers of its own."""
    if kind == "Pod" and as_list(as_dict(obj.get("spec")).get("ephemeralContainers")):
        return [c.forbidden("spec.ephemeralContainers", "cannot be set on create")]
    return []


def validate_ephemeral_update(old: dict, new: dict) -> list[dict]:
    """What the subresource adds to the pod's own checks (which include ephemeral_containers)."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))
    if "kubernetes.io/config.mirror" in (as_dict(old.get("metadata")).get("annotations") or {}):
        return [c.forbidden("", "static pods do not support ephemeral containers")]
    out: list[dict] = []
    wanted = {as_str(as_dict(x).get("name")): as_dict(x)
              for x in as_list(new_spec.get("ephemeralContainers"))}
    for existing in map(as_dict, as_list(old_spec.get("ephemeralContainers"))):
        name = as_str(existing.get("name"))
        now = wanted.get(name)
        if now is None:
            out.append(c.forbidden("spec.ephemeralContainers",
                                   f"existing ephemeral containers {c.go_value(name)} may not be removed\n"))
            continue
        before, after = to_go(_EPHEMERAL, existing, stored=True), to_go(_EPHEMERAL, now, stored=True)
        if not semantic_equal(_EPHEMERAL, before, after):
            out.append(c.forbidden("spec.ephemeralContainers",
                                   f"existing ephemeral containers {c.go_value(name)} may not be "
                                   f"changed\n{diff(_EPHEMERAL, before, after)}"))
    return out
