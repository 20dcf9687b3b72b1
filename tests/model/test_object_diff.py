"""The plan's diff: server noise stripped, YAML with sorted keys, unchanged when only noise differs."""

from __future__ import annotations

from kubetui.model import object_diff, same_object, strip_noise


def live_pod(image="nginx:1.16", rv="17"):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "uid": "u-1", "resourceVersion": rv,
                         "creationTimestamp": "2026-01-01T00:00:00Z", "generation": 1,
                         "managedFields": [{"manager": "kubetui", "operation": "Apply"}]},
            "spec": {"containers": [{"name": "nginx", "image": image}]},
            "status": {"phase": "Running"}}


def test_noise_is_stripped_and_the_input_left_alone():
    pod = live_pod()
    clean = strip_noise(pod)
    assert clean["metadata"] == {"name": "web", "namespace": "default"}
    assert "status" not in clean and "status" in pod and "uid" in pod["metadata"]
    assert strip_noise(None) == {}


def test_only_noise_differs_means_unchanged_and_no_diff():
    before, after = live_pod(rv="17"), live_pod(rv="18")
    after["status"] = {"phase": "Pending"}
    after["metadata"]["managedFields"] = []
    assert same_object(before, after)
    assert object_diff(before, after, "pod/web") == ""


def test_a_changed_image_is_one_line_out_one_line_in():
    diff = object_diff(live_pod("nginx:1.16"), live_pod("nginx:1.17"), "pod/web")
    assert diff.splitlines()[:2] == ["--- live/pod/web", "+++ planned/pod/web"]
    assert [line for line in diff.splitlines()[2:] if line[:1] in "+-"] == ["-  - image: nginx:1.16",
                                                                            "+  - image: nginx:1.17"]
    assert "resourceVersion" not in diff and "managedFields" not in diff and "Running" not in diff


def test_a_new_object_is_all_additions_with_sorted_keys():
    diff = object_diff(None, live_pod(), "pod/web")
    added = [line[1:] for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added[0] == "apiVersion: v1" and added[1] == "kind: Pod" and added[2] == "metadata:"
    assert not [line for line in diff.splitlines()[2:] if line.startswith("-")]
