"""`describeContainers`: one block per container of a pod or a pod template.

Each block is kubectl's: ids and image, ports (with their names), command and args one line
per line, state and last state, resources, probes, environment (values, field and resource
references, secret and config map keys), mounts sorted by path. Key decision: a field
reference shows the value only for `metadata.name` and `metadata.namespace`, the only field
labels kubectl's own scheme converts for pods; the rest show empty, exactly as kubectl does.
Pure: no I/O.
"""

from __future__ import annotations

import math
from urllib.parse import quote

from kubetui.model.describe.fields import quantity_text, sorted_resource_names
from kubetui.model.describe.writer import PrefixWriter, go_list, rfc1123z
from kubetui.model.go_quote import go_quote
from kubetui.model.go_sort import go_sort
from kubetui.model.quantity import QuantityError, parse_quantity

__all__ = ["describe_containers", "describe_resources", "describe_status"]


def describe_containers(label: str, containers: list, statuses: list | None, pod: dict | None,
                        w: PrefixWriter, space: str, tz=None) -> None:
    """`statuses` None and `pod` None describe a template (no state, no field values)."""
    by_name = {s.get("name"): s for s in statuses or () if isinstance(s, dict)}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    for container in containers:
        if not isinstance(container, dict):
            continue
        status = by_name.get(container.get("name"))
        _basic_info(container, status, space, w)
        _command(container, w)
        if status is not None:
            _state(status, w, tz)
        describe_resources(container.get("resources"), w, 2)
        _probes(container, w)
        if container.get("envFrom"):
            _env_from(container, w)
        _env(container, pod, w)
        _mounts(container, w)


def _basic_info(container: dict, status: dict | None, space: str, w: PrefixWriter) -> None:
    w.write(1, f"{' ' if space else ''}{_s(container.get('name'))}:\n")
    if status is not None:
        w.write(2, f"Container ID:\t{_s(status.get('containerID'))}\n")
    w.write(2, f"Image:\t{_s(container.get('image'))}\n")
    if status is not None:
        w.write(2, f"Image ID:\t{_s(status.get('imageID'))}\n")
    ports = [p for p in container.get("ports") or () if isinstance(p, dict)]
    port_text = ", ".join(_port(p, "containerPort") for p in ports)
    if "," in port_text:
        w.write(2, f"Ports:\t{port_text}\n")
    else:
        w.write(2, f"Port:\t{port_text or '<none>'}\n")
    host_text = ", ".join(_port(p, "hostPort") for p in ports)
    if "," in host_text:
        w.write(2, f"Host Ports:\t{host_text}\n")
    else:
        w.write(2, f"Host Port:\t{host_text or '<none>'}\n")
    profile = ((container.get("securityContext") or {}).get("seccompProfile"))
    if isinstance(profile, dict):
        w.write(2, f"SeccompProfile:\t{_s(profile.get('type'))}\n")
        if profile.get("type") == "Localhost":
            w.write(3, f"LocalhostProfile:\t{_s(profile.get('localhostProfile'))}\n")


def _port(port: dict, field: str) -> str:
    text = f"{_i(port.get(field))}/{_s(port.get('protocol'))}"
    return f"{text} ({port['name']})" if port.get("name") else text


def _command(container: dict, w: PrefixWriter) -> None:
    for title, field in (("Command", "command"), ("Args", "args")):
        values = container.get(field) or ()
        if values:
            w.write(2, f"{title}:\n")
            for value in values:
                for line in _s(value).split("\n"):
                    w.write(3, f"{line}\n")


def _state(status: dict, w: PrefixWriter, tz) -> None:
    describe_status("State", status.get("state") or {}, w, tz)
    last = status.get("lastState") or {}
    if isinstance(last.get("terminated"), dict):
        describe_status("Last State", last, w, tz)
    w.write(2, f"Ready:\t{'True' if status.get('ready') else 'False'}\n")
    w.write(2, f"Restart Count:\t{_i(status.get('restartCount'))}\n")


def describe_status(name: str, state: dict, w: PrefixWriter, tz=None) -> None:
    """`describeStatus`: Running, Waiting or Terminated with their details."""
    if isinstance(state.get("running"), dict):
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z(state['running'].get('startedAt'), tz)}\n")
    elif isinstance(state.get("waiting"), dict):
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{_s(state['waiting']['reason'])}\n")
    elif isinstance(state.get("terminated"), dict):
        terminated = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if terminated.get("reason"):
            w.write(3, f"Reason:\t{_s(terminated['reason'])}\n")
        if terminated.get("message"):
            w.write(3, f"Message:\t{_s(terminated['message'])}\n")
        w.write(3, f"Exit Code:\t{_i(terminated.get('exitCode'))}\n")
        if _i(terminated.get("signal")) > 0:
            w.write(3, f"Signal:\t{_i(terminated.get('signal'))}\n")
        w.write(3, f"Started:\t{rfc1123z(terminated.get('startedAt'), tz)}\n")
        w.write(3, f"Finished:\t{rfc1123z(terminated.get('finishedAt'), tz)}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def describe_resources(resources: object, w: PrefixWriter, level: int) -> None:
    """`describeResources`: Limits then Requests, resource names sorted."""
    if not isinstance(resources, dict):
        return
    for title, field in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(field) or {}
        names = sorted_resource_names(values)
        if names:
            w.write(level, f"{title}:\n")
        for name in names:
            w.write(level + 1, f"{name}:\t{quantity_text(values[name])}\n")


def _probes(container: dict, w: PrefixWriter) -> None:
    for title, field in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")):
        probe = container.get(field)
        if isinstance(probe, dict):
            w.write(2, f"{title}:\t{describe_probe(probe)}\n")


def describe_probe(probe: dict) -> str:
    """`DescribeProbe`: the action, then delay, timeout, period and thresholds."""
    attrs = (f"delay={_i(probe.get('initialDelaySeconds'))}s timeout={_i(probe.get('timeoutSeconds'))}s "
             f"period={_i(probe.get('periodSeconds'))}s successThreshold={_i(probe.get('successThreshold'))} "
             f"failureThreshold={_i(probe.get('failureThreshold'))}")
    if isinstance(probe.get("exec"), dict):
        return f"exec {go_list(probe['exec'].get('command'))} {attrs}"
    if isinstance(probe.get("httpGet"), dict):
        return f"http-get {_probe_url(probe['httpGet'])} {attrs}"
    if isinstance(probe.get("tcpSocket"), dict):
        socket = probe["tcpSocket"]
        return f"tcp-socket {_s(socket.get('host'))}:{_int_or_string(socket.get('port'))} {attrs}"
    if isinstance(probe.get("grpc"), dict):
        grpc = probe["grpc"]
        return f"grpc <pod>:{_i(grpc.get('port'))} {_s(grpc.get('service'))} {attrs}"
    return f"unknown {attrs}"


def _probe_url(action: dict) -> str:
    """Go's `url.URL{Scheme, Host: JoinHostPort(host, port), Path}.String()`."""
    scheme = _s(action.get("scheme")).lower()
    host, port = _s(action.get("host")), _int_or_string(action.get("port"))
    if port:
        host = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    path = quote(_s(action.get("path")), safe="/:@$&+,;=-._~")
    text = f"{scheme}:" if scheme else ""
    if scheme or host:
        text += ("//" if host or path else "") + host
    if path and not path.startswith("/") and host:
        text += "/"
    if not text and ":" in path.split("/")[0]:
        text += "./"
    return text + path


def _env_from(container: dict, w: PrefixWriter) -> None:
    w.write(2, "Environment Variables from:\n")
    for source in container.get("envFrom") or ():
        if not isinstance(source, dict):
            continue
        kind = name = ""
        optional = False
        for ref_field, ref_kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            ref = source.get(ref_field)
            if isinstance(ref, dict):
                kind, name, optional = ref_kind, _s(ref.get("name")), ref.get("optional") is True
                break
        prefix = _s(source.get("prefix"))
        shown = f"{kind} with prefix '{prefix}'" if prefix else kind
        w.write(3, f"{name}\t{shown}\tOptional: {'true' if optional else 'false'}\n")


def _env(container: dict, pod: dict | None, w: PrefixWriter) -> None:
    variables = [e for e in container.get("env") or () if isinstance(e, dict)]
    w.write(2, f"Environment:{'' if variables else chr(9) + '<none>'}\n")
    for variable in variables:
        name, source = _s(variable.get("name")), variable.get("valueFrom")
        if not isinstance(source, dict):
            for index, line in enumerate(_s(variable.get("value")).split("\n")):
                w.write(3, f"{name}:\t{line}\n" if index == 0 else f"\t{line}\n")
            continue
        if isinstance(source.get("fieldRef"), dict):
            ref = source["fieldRef"]
            value = _field_value(pod, ref) if pod is not None else ""
            w.write(3, f"{name}:\t{value} ({_s(ref.get('apiVersion'))}:{_s(ref.get('fieldPath'))})\n")
        elif isinstance(source.get("resourceFieldRef"), dict):
            ref = source["resourceFieldRef"]
            resource = _s(ref.get("resource"))
            value = _resource_value(ref, container)
            if value == "0" and resource in ("limits.cpu", "limits.memory"):
                value = "node allocatable"
            w.write(3, f"{name}:\t{value} ({resource})\n")
        elif isinstance(source.get("secretKeyRef"), dict):
            ref = source["secretKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{_s(ref.get('key'))}' in secret '{_s(ref.get('name'))}'>\t"
                       f"Optional: {'true' if ref.get('optional') is True else 'false'}\n")
        elif isinstance(source.get("configMapKeyRef"), dict):
            ref = source["configMapKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{_s(ref.get('key'))}' of config map '{_s(ref.get('name'))}'>\t"
                       f"Optional: {'true' if ref.get('optional') is True else 'false'}\n")


def _field_value(pod: dict, ref: dict) -> str:
    api_version = _s(ref.get("apiVersion"))
    if api_version.count("/") > 1 or api_version.startswith("/"):
        return ""
    metadata = pod.get("metadata") or {}
    path = _s(ref.get("fieldPath"))
    if path == "metadata.name":
        return _s(metadata.get("name"))
    if path == "metadata.namespace":
        return _s(metadata.get("namespace"))
    return ""


def _resource_value(ref: dict, container: dict) -> str:
    """`ExtractContainerResourceValue`: the container's request or limit over the divisor."""
    try:
        divisor = parse_quantity(ref.get("divisor") or "0")
    except QuantityError:
        return ""
    if divisor.is_zero():
        divisor = parse_quantity("1")
    resource = _s(ref.get("resource"))
    kind, _, name = resource.partition(".")
    if kind not in ("limits", "requests") or not (name in ("cpu", "memory", "ephemeral-storage")
                                                 or name.startswith("hugepages-")):
        return ""
    values = (container.get("resources") or {}).get(kind) or {}
    try:
        quantity = parse_quantity(values.get(name, "0"))
    except QuantityError:
        return ""
    if name == "cpu":
        return str(int(math.ceil(quantity.milli_value() / divisor.milli_value())))
    return str(int(math.ceil(quantity.value() / divisor.value()))) if divisor.value() else ""


def _mounts(container: dict, w: PrefixWriter) -> None:
    mounts = [m for m in container.get("volumeMounts") or () if isinstance(m, dict)]
    none = "" if mounts else "\t<none>"
    w.write(2, f"Mounts:{none}\n")
    go_sort(mounts, lambda a, b: _s(a.get("mountPath")) < _s(b.get("mountPath")))
    for mount in mounts:
        flags = ["ro" if mount.get("readOnly") is True else "rw"]
        if mount.get("subPath"):
            flags.append(f"path={go_quote(_s(mount['subPath']))}")
        w.write(3, f"{_s(mount.get('mountPath'))} from {_s(mount.get('name'))} ({','.join(flags)})\n")
    devices = [d for d in container.get("volumeDevices") or () if isinstance(d, dict)]
    if devices:
        w.write(2, f"Devices:{none}\n")
        go_sort(devices, lambda a, b: _s(a.get("devicePath")) < _s(b.get("devicePath")))
        for device in devices:
            w.write(3, f"{_s(device.get('devicePath'))} from {_s(device.get('name'))}\n")


def _int_or_string(value: object) -> str:
    """`intstr.IntOrString.String()`: the number, or the name."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    return str(value)


def _s(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _i(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
