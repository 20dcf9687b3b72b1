"""Pod spec validation, in the order and wording of pkg/apis/core/validation ValidatePodSpec.

Key decision: values the real server defaults before validating (restartPolicy, dnsPolicy,
imagePullPolicy, port protocol) are only checked when present, so a manifest that omits
them is valid whether or not the server core ran its defaulting first.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery import causes as c
from kubetui.localcluster.apimachinery.causes import as_dict, as_list, as_str
from kubetui.model.api_names import (
    inclusive_range_error,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_env_var_name,
    is_ip,
    is_label_value,
    is_port_name,
    is_port_number,
    is_qualified_name,
)
from kubetui.localcluster.validation.ephemeral import ephemeral_containers

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
PROTOCOLS = ("SCTP", "TCP", "UDP")
VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc",
    "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "projected",
    "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)
ANNOTATIONS_LIMIT = 256 * 1024
_REQUIRED_SOURCE_FIELDS = {"configMap": "name", "secret": "secretName", "hostPath": "path",
                           "persistentVolumeClaim": "claimName"}


def validate_labels(labels, field: str) -> list[dict]:
    """ValidateLabels: the whole map is the field, for keys and values alike."""
    out: list[dict] = []
    for key, value in as_dict(labels).items():
        out += c.each_invalid(field, key, is_qualified_name(key))
        if not isinstance(value, str):
            out.append(c.invalid(field, value, "must be a string"))
            continue
        out += c.each_invalid(field, value, is_label_value(value))
    return out


def validate_annotations(annotations, field: str) -> list[dict]:
    out: list[dict] = []
    total = 0
    for key, value in as_dict(annotations).items():
        out += c.each_invalid(field, key, is_qualified_name(key.lower()))
        total += len(key) + len(as_str(value))
    if total > ANNOTATIONS_LIMIT:
        out.append(c.too_long(field, ANNOTATIONS_LIMIT))
    return out


def validate_label_selector(selector, path: str) -> list[dict]:
    selector = as_dict(selector)
    out = validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, expression in enumerate(as_list(selector.get("matchExpressions"))):
        expression, item = as_dict(expression), f"{path}.matchExpressions[{i}]"
        operator, values = expression.get("operator"), as_list(expression.get("values"))
        if operator in ("In", "NotIn"):
            if not values:
                out.append(c.required(f"{item}.values", "must be specified when `operator` is 'In' or 'NotIn'"))
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                out.append(c.forbidden(f"{item}.values",
                                       "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        else:
            out.append(c.invalid(f"{item}.operator", operator, "not a valid selector operator"))
        out += c.each_invalid(f"{item}.key", expression.get("key", ""),
                              is_qualified_name(as_str(expression.get("key"))))
    return out


def go_labels(labels: dict) -> str:
    return c.go_value(labels) if labels else "map[string]string(nil)"


def go_selector(selector: dict) -> str:
    """What `%#v` prints for the dereferenced *metav1.LabelSelector."""
    expressions = []
    for expression in map(as_dict, as_list(selector.get("matchExpressions"))):
        values = as_list(expression.get("values"))
        shown = c.go_value([str(v) for v in values]) if values else "[]string(nil)"
        expressions.append(f"v1.LabelSelectorRequirement{{Key:{c.go_value(as_str(expression.get('key')))}, "
                           f"Operator:{c.go_value(as_str(expression.get('operator')))}, Values:{shown}}}")
    shown_expressions = ("[]v1.LabelSelectorRequirement{" + ", ".join(expressions) + "}" if expressions
                         else "[]v1.LabelSelectorRequirement(nil)")
    return (f"v1.LabelSelector{{MatchLabels:{go_labels(as_dict(selector.get('matchLabels')))}, "
            f"MatchExpressions:{shown_expressions}}}")


def validate_pod_spec(spec, path: str) -> list[dict]:
    spec = as_dict(spec)
    out: list[dict] = []
    volumes, volume_errors = _volumes(spec.get("volumes"), f"{path}.volumes")
    out += volume_errors
    out += _containers(spec.get("containers"), volumes, f"{path}.containers")
    names = {as_str(ctr.get("name")) for ctr in map(as_dict, as_list(spec.get("containers")))}
    out += _init_containers(spec.get("initContainers"), names, volumes, f"{path}.initContainers")
    out += ephemeral_containers(spec, f"{path}.ephemeralContainers")
    out += _choice(spec, "restartPolicy", RESTART_POLICIES, path)
    out += _choice(spec, "dnsPolicy", DNS_POLICIES, path)
    out += validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector")
    out += _dns_config(spec, path)
    for name_field, check in (("serviceAccountName", is_dns1123_subdomain), ("nodeName", is_dns1123_subdomain)):
        value = spec.get(name_field)
        if value:
            out += c.each_invalid(f"{path}.{name_field}", value, check(as_str(value)) or [])
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and (not isinstance(deadline, int) or not 1 <= deadline <= 2147483647):
        out.append(c.invalid(f"{path}.activeDeadlineSeconds", deadline, inclusive_range_error(1, 2147483647)))
    for name_field in ("hostname", "subdomain"):
        if spec.get(name_field):
            out += c.each_invalid(f"{path}.{name_field}", spec[name_field], is_dns1123_label(as_str(spec[name_field])))
    out += _tolerations(spec.get("tolerations"), f"{path}.tolerations")
    out += _host_aliases(spec.get("hostAliases"), f"{path}.hostAliases")
    return out


def _choice(obj: dict, key: str, allowed: tuple, path: str) -> list[dict]:
    value = obj.get(key)
    if value is None or value == "" or value in allowed:
        return []
    return [c.not_supported(f"{path}.{key}", value, allowed)]


def _volumes(volumes, path: str) -> tuple[set, list[dict]]:
    valid: set = set()
    out: list[dict] = []
    for i, volume in enumerate(as_list(volumes)):
        volume, item = as_dict(volume), f"{path}[{i}]"
        name = as_str(volume.get("name"))
        errors = _volume_source(volume, item)
        if not name:
            errors.append(c.required(f"{item}.name"))
        else:
            errors += c.each_invalid(f"{item}.name", name, is_dns1123_label(name))
        if name in valid:
            errors.append(c.duplicate(f"{item}.name", name))
        if errors:
            out += errors
        else:
            valid.add(name)
    return valid, out


def _volume_source(volume: dict, path: str) -> list[dict]:
    sources = [key for key in VOLUME_SOURCES if volume.get(key) is not None]
    if not sources:
        return [c.required(path, "must specify a volume type")]
    if len(sources) > 1:
        return [c.forbidden(f"{path}.{sources[1]}", "may not specify more than 1 volume type")]
    needed = _REQUIRED_SOURCE_FIELDS.get(sources[0])
    if needed and not as_dict(volume[sources[0]]).get(needed):
        return [c.required(f"{path}.{sources[0]}.{needed}")]
    return []


def _container_common(ctr: dict, volumes: set, path: str) -> list[dict]:
    out: list[dict] = []
    name = as_str(ctr.get("name"))
    if not name:
        out.append(c.required(f"{path}.name"))
    else:
        out += c.each_invalid(f"{path}.name", name, is_dns1123_label(name))
    if not ctr.get("image"):
        out.append(c.required(f"{path}.image"))
    out += _choice(ctr, "imagePullPolicy", PULL_POLICIES, path)
    out += _ports(ctr.get("ports"), f"{path}.ports")
    out += _env(ctr.get("env"), f"{path}.env")
    out += _volume_mounts(ctr.get("volumeMounts"), volumes, f"{path}.volumeMounts")
    return out


def _containers(containers, volumes: set, path: str) -> list[dict]:
    if not as_list(containers):
        return [c.required(path)]
    out: list[dict] = []
    seen: set = set()
    for i, ctr in enumerate(as_list(containers)):
        ctr, item = as_dict(ctr), f"{path}[{i}]"
        out += _container_common(ctr, volumes, item)
        name = as_str(ctr.get("name"))
        if name in seen:
            out.append(c.duplicate(f"{item}.name", name))
        else:
            seen.add(name)
    return out


def _init_containers(containers, taken: set, volumes: set, path: str) -> list[dict]:
    out: list[dict] = []
    seen = set(taken)
    for i, ctr in enumerate(as_list(containers)):
        ctr, item = as_dict(ctr), f"{path}[{i}]"
        out += _container_common(ctr, volumes, item)
        policy = ctr.get("restartPolicy")
        if policy is not None and policy != "Always":
            out.append(c.not_supported(f"{item}.restartPolicy", policy, ("Always",)))
        name = as_str(ctr.get("name"))
        if name in seen:
            out.append(c.duplicate(f"{item}.name", name))
        elif name:
            seen.add(name)
    return out


def _ports(ports, path: str) -> list[dict]:
    out: list[dict] = []
    names: set = set()
    for i, port in enumerate(as_list(ports)):
        port, item = as_dict(port), f"{path}[{i}]"
        name = as_str(port.get("name"))
        if name:
            problems = is_port_name(name)
            if problems:
                out += c.each_invalid(f"{item}.name", name, problems)
            elif name in names:
                out.append(c.duplicate(f"{item}.name", name))
            else:
                names.add(name)
        number = port.get("containerPort")
        if not number:
            out.append(c.required(f"{item}.containerPort"))
        else:
            out += c.each_invalid(f"{item}.containerPort", number, is_port_number(number))
        if port.get("hostPort"):
            out += c.each_invalid(f"{item}.hostPort", port["hostPort"], is_port_number(port["hostPort"]))
        out += _choice(port, "protocol", PROTOCOLS, item)
    return out


def _env(env, path: str) -> list[dict]:
    out: list[dict] = []
    for i, var in enumerate(as_list(env)):
        name = as_str(as_dict(var).get("name"))
        if not name:
            out.append(c.required(f"{path}[{i}].name"))
        out += c.each_invalid(f"{path}[{i}].name", name, is_env_var_name(name))
    return out


def _volume_mounts(mounts, volumes: set, path: str) -> list[dict]:
    out: list[dict] = []
    mount_points: set = set()
    for i, mount in enumerate(as_list(mounts)):
        mount, item = as_dict(mount), f"{path}[{i}]"
        name, mount_path = as_str(mount.get("name")), as_str(mount.get("mountPath"))
        if not name:
            out.append(c.required(f"{item}.name"))
        if name not in volumes:
            out.append(c.not_found(f"{item}.name", name))
        if not mount_path:
            out.append(c.required(f"{item}.mountPath"))
        if mount_path in mount_points:
            out.append(c.invalid(f"{item}.mountPath", mount_path, "must be unique"))
        mount_points.add(mount_path)
    return out


def _dns_config(spec: dict, path: str) -> list[dict]:
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if config is None:
            return [c.required(f"{path}.dnsConfig", "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not as_list(as_dict(config).get("nameservers")):
            return [c.required(f"{path}.dnsConfig.nameservers",
                               "must provide at least one DNS nameserver when `dnsPolicy` is None")]
    out: list[dict] = []
    nameservers = as_list(as_dict(config).get("nameservers"))
    if len(nameservers) > 3:
        out.append(c.invalid(f"{path}.dnsConfig.nameservers", nameservers, "must not have more than 3 nameservers"))
    for i, server in enumerate(nameservers):
        out += c.each_invalid(f"{path}.dnsConfig.nameservers[{i}]", server, is_ip(as_str(server)))
    return out


def _tolerations(tolerations, path: str) -> list[dict]:
    out: list[dict] = []
    for i, toleration in enumerate(as_list(tolerations)):
        toleration, item = as_dict(toleration), f"{path}[{i}]"
        if toleration.get("key"):
            out += c.each_invalid(f"{item}.key", toleration["key"], is_qualified_name(as_str(toleration["key"])))
        operator = toleration.get("operator")
        if operator == "Exists" and toleration.get("value"):
            out.append(c.invalid(f"{item}.operator", toleration, "value must be empty when `operator` is 'Exists'"))
        elif operator not in (None, "", "Equal", "Exists"):
            out.append(c.not_supported(f"{item}.operator", operator, ("Equal", "Exists")))
        effect = toleration.get("effect")
        if effect not in (None, "", "NoSchedule", "PreferNoSchedule", "NoExecute"):
            out.append(c.not_supported(f"{item}.effect", effect, ("NoSchedule", "PreferNoSchedule", "NoExecute")))
    return out


def _host_aliases(aliases, path: str) -> list[dict]:
    out: list[dict] = []
    for i, alias in enumerate(as_list(aliases)):
        alias, item = as_dict(alias), f"{path}[{i}]"
        out += c.each_invalid(f"{item}.ip", alias.get("ip", ""), is_ip(as_str(alias.get("ip"))))
        for j, hostname in enumerate(as_list(alias.get("hostnames"))):
            out += c.each_invalid(f"{item}.hostnames[{j}]", hostname, is_dns1123_subdomain(as_str(hostname)))
    return out
