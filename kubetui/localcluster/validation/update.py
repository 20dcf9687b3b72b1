"""What an update may change, worded like kube-apiserver's update validation and strategies.

`prepare_update(kind, old, new)` is the strategy's PrepareForUpdate (a Service keeps the
cluster IPs and node ports a client left out); `validate_update(kind, old, new)` returns the
causes ValidatePodUpdate, ValidateServiceUpdate and the apps strategies add to the
create-time ones. Key decisions: a pod spec is immutable except for the fields the real
validator munges away (container images, activeDeadlineSeconds, added tolerations, removed
scheduling gates, a negative terminationGracePeriodSeconds set to 1), and the refusal carries
the same `cmp.Diff` of the internal PodSpec (gocmp.py, core_types.py) that kubectl prints.
The relaxations for pods that still have scheduling gates (node selector and affinity
additions) are not modelled.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery import causes as c
from kubetui.localcluster.apimachinery.causes import as_dict, as_list, as_str
from kubetui.localcluster.validation.core_types import POD_SPEC, go_type, pod_spec, to_go
from kubetui.localcluster.apimachinery.gocmp import diff, semantic_equal
from kubetui.model.api_names import inclusive_range_error
from kubetui.localcluster.apimachinery.objectmeta import json_copy
from kubetui.localcluster.validation.objects import go_selector, validate

MAX_INT32 = 2147483647
IMMUTABLE = "field is immutable"
UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)
_TOLERATION = go_type("Toleration")
_SELECTOR = go_type("v1.LabelSelector")


def prepare_update(kind: str, old: dict, new: dict) -> None:
    if kind == "Service":
        _patch_allocated_values(as_dict(old.get("spec")), new)
        _normalize_cluster_ips(as_dict(old.get("spec")), as_dict(new.get("spec")))


def validate_update(kind: str, old: dict, new: dict) -> list[dict]:
    """Every cause of refusing `new` in place of `old`, in the real validators' order."""
    created = validate(kind, new)
    check = _CHECKS.get(kind)
    changed = check(as_dict(old), as_dict(new)) if check else []
    return changed + created if kind in _CHANGES_FIRST else created + changed


# ------------------------------------------------------------------------------------ pods
def _container_updates(new: list, old: list, path: str) -> tuple[list[dict], bool]:
    if len(new) != len(old):
        return [c.forbidden(path, "pod updates may not add or remove containers")], True
    out: list[dict] = []
    for index, container in enumerate(new):
        image = as_str(as_dict(container).get("image"))
        if not image:
            out.append(c.required(f"{path}[{index}].image"))
        elif image.strip() != image:
            out.append(c.invalid(f"{path}[{index}].image", image,
                                 "must not have leading or trailing whitespace"))
    return out, False


def _deadline(new, old) -> list[dict]:
    field = "spec.activeDeadlineSeconds"
    if new is not None:
        if not isinstance(new, int) or not 0 <= new <= MAX_INT32:
            return [c.invalid(field, new, inclusive_range_error(0, MAX_INT32))]
        if isinstance(old, int) and old < new:
            return [c.invalid(field, new, "must be less than or equal to previous value")]
    elif old is not None:
        return [c.invalid(field, None, "must not update from a positive integer to nil value",
                          printed='"null"')]
    return []


def _only_added_tolerations(new: list, old: list) -> list[dict]:
    news = [to_go(_TOLERATION, t) for t in new]
    for toleration in old:
        kept = to_go(_TOLERATION, toleration)
        if not any(kept[:4] == candidate[:4] for candidate in news):
            return [c.forbidden("spec.tolerations",
                                "existing toleration can not be modified except its tolerationSeconds")]
    return []


def _only_deleted_gates(new: list, old: list) -> list[dict]:
    old_names = {as_str(as_dict(gate).get("name")) for gate in old}
    added: dict[str, int] = {}
    for index, gate in enumerate(new):
        added[as_str(as_dict(gate).get("name"))] = index
    return [c.forbidden(f"spec.schedulingGates[{index}].name",
                        f"only deletion is allowed, but found new scheduling gate '{name}'")
            for name, index in sorted(added.items(), key=lambda item: item[1]) if name not in old_names]


def _munged(new_spec: dict, old_spec: dict) -> dict:
    """The new spec with every field an update may change set back to its old value."""
    munged = json_copy(new_spec)
    for key in ("containers", "initContainers"):
        olds = as_list(old_spec.get(key))
        for index, container in enumerate(as_list(munged.get(key))):
            if isinstance(container, dict) and index < len(olds):
                image = as_dict(olds[index]).get("image")
                container.pop("image", None)
                if image is not None:
                    container["image"] = image
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in old_spec:
            munged[key] = json_copy(old_spec[key])
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if isinstance(old_grace, int) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    return munged


def _pod(old: dict, new: dict) -> list[dict]:
    """ValidatePodUpdate, after the create-time checks of the new pod."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))
    out: list[dict] = []
    for key in ("containers", "initContainers"):
        problems, stop = _container_updates(as_list(new_spec.get(key)), as_list(old_spec.get(key)),
                                            f"spec.{key}")
        out += problems
        if stop:
            return out
    deadline = _deadline(new_spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds"))
    if deadline:
        return out + deadline
    out += _only_added_tolerations(as_list(new_spec.get("tolerations")), as_list(old_spec.get("tolerations")))
    out += _only_deleted_gates(as_list(new_spec.get("schedulingGates")), as_list(old_spec.get("schedulingGates")))
    if new_spec == old_spec:
        return out
    munged = pod_spec(_munged(new_spec, old_spec))
    before = pod_spec(old_spec, stored=True)
    if not semantic_equal(POD_SPEC, munged, before):
        text = "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS)
        out.append(c.forbidden("spec", f"{text}\n{diff(POD_SPEC, before, munged)}"))
    return out


# ------------------------------------------------------------------------------------ services
def _needs_node_ports(spec: dict) -> bool:
    return spec.get("type") == "NodePort" or (
        spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is not False)


def _patch_allocated_values(old_spec: dict, new: dict) -> None:
    """patchAllocatedValues: what the server allocated stays when the client leaves it out."""
    spec = new.get("spec")
    if not isinstance(spec, dict):
        return
    if old_spec.get("type") != "ExternalName" and spec.get("type") != "ExternalName":
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if _needs_node_ports(old_spec) and _needs_node_ports(spec):
        def used(ports) -> set:
            return {as_dict(p).get("nodePort") for p in as_list(ports) if as_dict(p).get("nodePort")}
        taken = used(old_spec.get("ports")) & used(spec.get("ports"))
        by_name = {as_str(as_dict(p).get("name")): as_dict(p).get("nodePort")
                   for p in as_list(old_spec.get("ports"))}
        for port in as_list(spec.get("ports")):
            if isinstance(port, dict) and not port.get("nodePort"):
                previous = by_name.get(as_str(port.get("name")))
                if previous and previous not in taken:
                    port["nodePort"] = previous


def _normalize_cluster_ips(old: dict, new: dict) -> None:
    """NormalizeClusterIPs: keep clusterIP and clusterIPs in step for clients that set one."""
    old_ips, new_ips = as_list(old.get("clusterIPs")), as_list(new.get("clusterIPs"))
    if old_ips and not new_ips and old.get("clusterIP") == new.get("clusterIP"):
        new["clusterIPs"] = list(old_ips)
        new_ips = new["clusterIPs"]
    if old.get("clusterIP") != new.get("clusterIP"):
        same = old_ips == new_ips
        if old.get("clusterIP") and not new.get("clusterIP") and same:
            new.pop("clusterIPs", None)
        if new.get("clusterIP") and same:
            new["clusterIPs"] = [new["clusterIP"]]


def _headless(spec: dict) -> bool:
    ips = as_list(spec.get("clusterIPs"))
    return spec.get("type", "ClusterIP") == "ClusterIP" and len(ips) == 1 and ips[0] == "None"


def _ips_value(ips: list | None) -> str:
    return c.go_value(ips) if ips else ("[]string{}" if ips == [] else "[]string(nil)")


def _service(old: dict, new: dict) -> list[dict]:
    """validateUpgradeDowngradeClusterIPs: the primary cluster IP never changes."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))
    if "ExternalName" in (old_spec.get("type"), new_spec.get("type")):
        return []
    if _headless(old_spec) and _headless(new_spec):
        return []
    old_ips = as_list(old_spec.get("clusterIPs"))
    raw_new = new_spec.get("clusterIPs")
    new_ips = as_list(raw_new)
    shown = _ips_value(raw_new if isinstance(raw_new, list) else None)

    def changed(index: int) -> dict:
        return c.invalid(f"spec.clusterIPs[{index}]", None, "may not change once set", printed=shown)

    out: list[dict] = []
    if len(old_ips) == len(new_ips):
        out += [changed(i) for i, ip in enumerate(old_ips) if ip != new_ips[i]]
    elif len(old_ips) > len(new_ips):
        if not new_ips:
            out.append(c.invalid("spec.clusterIPs[0]", None, "primary clusterIP can not be unset",
                                 printed=shown))
        if old_ips and new_ips and new_ips[0] != old_ips[0]:
            out.append(changed(0))
        policy = new_spec.get("ipFamilyPolicy")
        if len(new_ips) == 1 and policy != "SingleStack":
            out.append(c.invalid("spec.ipFamilyPolicy", policy if policy is not None else "null",
                                 "must be set to 'SingleStack' when releasing the secondary clusterIP"))
    elif old_ips and new_ips[0] != old_ips[0]:
        out.append(changed(0))
    return out


# ------------------------------------------------------------------------------------ apps
def _selector_immutable(old: dict, new: dict) -> list[dict]:
    """The apps/v1 strategies: spec.selector never changes once created."""
    old_selector = as_dict(old.get("spec")).get("selector")
    new_selector = as_dict(new.get("spec")).get("selector")
    before = None if old_selector is None else to_go(_SELECTOR, old_selector)
    after = None if new_selector is None else to_go(_SELECTOR, new_selector)
    if before is None or after is None:
        same = before is None and after is None
    else:
        same = semantic_equal(_SELECTOR, before, after)
    if same:
        return []
    shown = "null" if new_selector is None else go_selector(as_dict(new_selector))
    return [c.invalid("spec.selector", None, IMMUTABLE, printed=shown)]


# ------------------------------------------------------------------------- data objects
IMMUTABLE_WHEN_SET = "field is immutable when `immutable` is set"


def _frozen_data(old: dict, new: dict, fields: tuple[str, ...]) -> list[dict]:
    """ValidateSecretUpdate / ValidateConfigMapUpdate: once `immutable: true`, nothing moves."""
    if old.get("immutable") is not True:
        return []
    out = [] if new.get("immutable") is True else [c.forbidden("immutable", IMMUTABLE_WHEN_SET)]
    return out + [c.forbidden(field, IMMUTABLE_WHEN_SET) for field in fields
                  if (old.get(field) or None) != (new.get(field) or None)]


def _secret(old: dict, new: dict) -> list[dict]:
    out = []
    if old.get("type") != new.get("type"):
        out.append(c.invalid("type", new.get("type"), IMMUTABLE))
    return out + _frozen_data(old, new, ("data",))


def _config_map(old: dict, new: dict) -> list[dict]:
    return _frozen_data(old, new, ("data", "binaryData"))


# ------------------------------------------------------------------------------------ jobs
def _job(old: dict, new: dict) -> list[dict]:
    """ValidateJobSpecUpdate: completions, selector, template and completion mode are fixed.
    The template's value is shown abridged (the real message dumps the whole Go struct)."""
    old_spec, new_spec = as_dict(old.get("spec")), as_dict(new.get("spec"))
    out: list[dict] = []
    if old_spec.get("completions") != new_spec.get("completions"):
        out.append(c.invalid("spec.completions", new_spec.get("completions"), IMMUTABLE))
    out += _selector_immutable(old, new)
    if json_copy(old_spec.get("template")) != json_copy(new_spec.get("template")):
        out.append(c.invalid("spec.template", None, IMMUTABLE, printed="core.PodTemplateSpec{...}"))
    if old_spec.get("completionMode") != new_spec.get("completionMode"):
        out.append(c.invalid("spec.completionMode", new_spec.get("completionMode"), IMMUTABLE))
    return out


_CHECKS = {"Pod": _pod, "Job": _job, "Service": _service, "Deployment": _selector_immutable,
           "ReplicaSet": _selector_immutable, "DaemonSet": _selector_immutable, "Secret": _secret, "ConfigMap": _config_map}
_CHANGES_FIRST = frozenset({"Service", "Secret", "ConfigMap"})

__all__ = ["IMMUTABLE", "UPDATABLE_POD_SPEC_FIELDS", "prepare_update", "validate_update"]
