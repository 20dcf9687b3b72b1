"""go-cmp's report, as kube-apiserver appends it to a refused pod update: table of cases whose
expected text follows go-cmp's rules (two records of context, `... // N identical fields`,
aligned keys, types only where a value differs, triple quotes for long inserted text)."""

from __future__ import annotations

import pytest

from kubetui.localcluster.validation.core_types import POD_SPEC, go_type, parse_quantity, pod_spec
from kubetui.localcluster.apimachinery.gocmp import BOOL, INT, MAP, SLICE, STRING, STRUCT, GoType, diff

TEXT = GoType(STRING, "string")
NUMBER = GoType(INT, "int64")
LABELS = GoType(MAP, "map[string]string", TEXT, TEXT)
NAMES = GoType(SLICE, "[]string", TEXT)
ITEM = GoType(STRUCT, "pkg.Item").set_fields([("Name", TEXT), ("Size", NUMBER), ("Labels", LABELS),
                                              ("Tags", NAMES), ("On", GoType(BOOL, "bool"))])
ITEMS = GoType(SLICE, "[]pkg.Item", ITEM)
COMMAND = GoType(STRUCT, "pkg.Cmd").set_fields([("Command", NAMES)])
SCRIPT = "while true; do\n  date\n  sleep 5\ndone\n"

CASES = {
    "equal values print nothing": (ITEM, ("a", 1, None, None, False), ("a", 1, None, None, False), ""),
    "a changed leaf keeps context, and a lone equal record is not folded": (
        ITEM, ("a", 1, {"k": "v"}, ["x"], True), ("a", 2, {"k": "v"}, ["x"], True),
        "  pkg.Item{\n"
        "  \tName:   \"a\",\n"
        "- \tSize:   1,\n"
        "+ \tSize:   2,\n"
        "  \tLabels: {\"k\": \"v\"},\n"
        "  \tTags:   {\"x\"},\n"
        "  \tOn:     true,\n"
        "  }\n"),
    "a map entry added": (
        LABELS, {"app": "web"}, {"app": "web", "tier": "front"},
        "  map[string]string{\n"
        "  \t\"app\":  \"web\",\n"
        "+ \t\"tier\": \"front\",\n"
        "  }\n"),
    "a slice element removed, the others elided": (
        ITEMS, [("a", 1, None, None, False), ("b", 2, None, None, False)], [("b", 2, None, None, False)],
        "  []pkg.Item{\n"
        "- \t{Name: \"a\", Size: 1},\n"
        "  \t{Name: \"b\", Size: 2},\n"
        "  }\n"),
    "a long inserted script is triple-quoted": (
        COMMAND, (None,), (["sh", "-c", SCRIPT],),
        "  pkg.Cmd{\n"
        "- \tCommand: nil,\n"
        "+ \tCommand: []string{\n"
        "+ \t\t\"sh\",\n"
        "+ \t\t\"-c\",\n"
        "+ \t\t(\n"
        "+ \t\t\t\"\"\"\n"
        "+ \t\t\twhile true; do\n"
        "+ \t\t\t  date\n"
        "+ \t\t\t  sleep 5\n"
        "+ \t\t\tdone\n"
        "+ \t\t\t\"\"\"\n"
        "+ \t\t),\n"
        "+ \t},\n"
        "  }\n"),
}


@pytest.mark.parametrize("t, old, new, expected", CASES.values(), ids=CASES.keys())
def test_report(t, old, new, expected):
    assert diff(t, old, new) == expected


def test_the_notes_second_sample_pod_over_the_first():
    """The spec as the server holds it after defaulting: only command and args differ."""
    container = {"name": "nginx-container", "image": "nginx:1.16", "resources": {},
                 "terminationMessagePath": "/dev/termination-log",
                 "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}
    old = {"containers": [container], "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
           "securityContext": {}, "schedulerName": "default-scheduler",
           "terminationGracePeriodSeconds": 30}
    new = {**old, "containers": [{**container, "command": ["/bin/sleep"], "args": ["3600"]}]}
    assert diff(POD_SPEC, pod_spec(old, stored=True), pod_spec(new)) == (
        "  core.PodSpec{\n"
        "  \tVolumes:        nil,\n"
        "  \tInitContainers: nil,\n"
        "  \tContainers: []core.Container{\n"
        "  \t\t{\n"
        "  \t\t\tName:       \"nginx-container\",\n"
        "  \t\t\tImage:      \"nginx:1.16\",\n"
        "- \t\t\tCommand:    nil,\n"
        "+ \t\t\tCommand:    []string{\"/bin/sleep\"},\n"
        "- \t\t\tArgs:       nil,\n"
        "+ \t\t\tArgs:       []string{\"3600\"},\n"
        "  \t\t\tWorkingDir: \"\",\n"
        "  \t\t\tPorts:      nil,\n"
        "  \t\t\t... // 19 identical fields\n"
        "  \t\t},\n"
        "  \t},\n"
        "  \tEphemeralContainers: nil,\n"
        "  \tRestartPolicy:       \"Always\",\n"
        "  \t... // 31 identical fields\n"
        "  }\n")


def test_host_network_lives_in_the_internal_security_context():
    old = pod_spec({"containers": [], "securityContext": {}}, stored=True)
    new = pod_spec({"containers": [], "securityContext": {}, "hostNetwork": True})
    report = diff(POD_SPEC, old, new)
    assert "  \tSecurityContext: &core.PodSecurityContext{\n- \t\tHostNetwork: false,\n" \
           "+ \t\tHostNetwork: true,\n" in report


@pytest.mark.parametrize("text, parsed", [
    ("1", ((1, 0), "1", "DecimalSI")), ("500m", ((500, -3), "500m", "DecimalSI")),
    ("1000m", ((1000, -3), "", "DecimalSI")), ("2Gi", ((2 << 30, 0), "2Gi", "BinarySI")),
    ("8Gi", ((8 << 30, 0), "", "BinarySI")), ("1e3", ((1, 3), "1e3", "DecimalExponent")),
])
def test_quantities_parse_like_parse_quantity(text, parsed):
    assert parse_quantity(text) == parsed
    assert go_type("ResourceList").elem.equal(pod_quantity(text), pod_quantity(text))


def pod_quantity(text):
    from kubetui.localcluster.validation.core_types import to_go
    return to_go(go_type("Quantity"), text)
