"""Image references as the kubelet parses them, pull outcomes, and what each image contains."""

from __future__ import annotations

import pytest

from kubetui.localcluster.runtime.container_sim import image_shells
from kubetui.localcluster.images.references import (
    InvalidImageName,
    default_pull_policy,
    go_duration,
    parse_image,
    pull_failure_message,
    pull_seconds,
)
from kubetui.localcluster.images.catalogue import image_profile, lookup_image


@pytest.mark.parametrize("image, normalized", [
    ("nginx:1.16", "docker.io/library/nginx:1.16"),
    ("nginx", "docker.io/library/nginx:latest"),
    ("library/redis:3.2", "docker.io/library/redis:3.2"),
    ("index.docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"),
    ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10"),
    ("k8s.gcr.io/pause", "k8s.gcr.io/pause:latest"),
    ("localhost:5000/team/app:V1", "localhost:5000/team/app:V1"),
    ("myorg/app:1.0", "docker.io/myorg/app:1.0"),
])
def test_references_normalize_like_containerd(image, normalized):
    assert parse_image(image).normalized == normalized


@pytest.mark.parametrize("image, problem", [
    ("NGINX", "invalid reference format: repository name (library/NGINX) must be lowercase"),
    ("NGINX:1.16", "invalid reference format: repository name (library/NGINX) must be lowercase"),
    ("nginx::1", "invalid reference format"),
    ("nginx:1.16 ", "invalid reference format"),
    ("nginx:-bad", "invalid reference format"),
    ("a" * 64, f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings"),
])
def test_invalid_references_carry_the_kubelet_message(image, problem):
    with pytest.raises(InvalidImageName) as caught:
        parse_image(image)
    assert str(caught.value) == (f'Failed to apply default image tag "{image}": couldn\'t parse '
                                 f'image name "{image}": {problem}')


def test_image_ids_are_repo_digests_and_stable():
    first, again = parse_image("nginx:1.16"), parse_image("docker.io/library/nginx:1.16")
    assert first.image_id == again.image_id
    assert first.image_id.startswith("docker.io/library/nginx@sha256:") and len(first.repo_digest) == 71
    assert parse_image("nginx:1.17").image_id != first.image_id


def test_missing_tags_and_unknown_official_names_fail_to_pull():
    assert pull_failure_message("nginx:1.16", parse_image("nginx:1.16")) is None
    missing = pull_failure_message("nginx:doesnotexist", parse_image("nginx:doesnotexist"))
    assert missing == (
        'Failed to pull image "nginx:doesnotexist": rpc error: code = NotFound desc = failed to '
        'pull and unpack image "docker.io/library/nginx:doesnotexist": failed to resolve reference '
        '"docker.io/library/nginx:doesnotexist": docker.io/library/nginx:doesnotexist: not found')
    typo = pull_failure_message("ngnix", parse_image("ngnix"))
    assert "pull access denied, repository does not exist or may require authorization" in typo
    assert pull_failure_message("myorg/app:1", parse_image("myorg/app:1")) is None


def test_pull_takes_one_to_a_few_simulated_seconds():
    assert 1.0 <= pull_seconds(parse_image("busybox:1.36")) < pull_seconds(parse_image("nginx:1.16")) <= 2.0
    assert pull_seconds(parse_image("python:3.12")) <= 4.0


@pytest.mark.parametrize("seconds, text", [(0.806, "806ms"), (1.2, "1.2s"), (2.0, "2s"),
                                           (15.981, "15.981s"), (75.5, "1m15.5s")])
def test_durations_print_like_go(seconds, text):
    assert go_duration(seconds) == text


@pytest.mark.parametrize("image, policy", [("nginx", "Always"), ("nginx:latest", "Always"),
                                           ("nginx:1.16", "IfNotPresent"),
                                           ("nginx@sha256:" + "a" * 64, "IfNotPresent")])
def test_default_pull_policy(image, policy):
    assert default_pull_policy(image) == policy


@pytest.mark.parametrize("image, shells", [
    ("busybox:1.36", ("sh", "ash")), ("alpine:3.20", ("sh", "ash")),
    ("nginx:1.16", ("sh", "bash", "dash")), ("ubuntu:24.04", ("sh", "bash", "dash")),
    ("myorg/app:1", ("sh", "bash", "dash")),
])
def test_which_shells_an_image_has(image, shells):
    assert image_shells(lookup_image(image)) == shells


def test_catalogue_entrypoints_follow_the_dockerfiles():
    nginx_old, nginx_new = lookup_image("nginx:1.16"), lookup_image("nginx:1.27")
    assert nginx_old.entrypoint == () and nginx_old.cmd == ("nginx", "-g", "daemon off;")
    assert nginx_new.entrypoint == ("/docker-entrypoint.sh",)
    redis = lookup_image("redis:3.2")
    assert redis.entrypoint == ("docker-entrypoint.sh",) and redis.working_dir == "/data"
    assert lookup_image("busybox").cmd == ("sh",)


@pytest.mark.parametrize("image, path, present", [
    ("busybox:1.36", "/bin/sh", True), ("busybox:1.36", "/bin/bash", False),
    ("alpine:3.20", "bash", False), ("nginx:1.16", "/bin/bash", True),
    ("registry.k8s.io/pause:3.10", "/bin/sh", False), ("registry.k8s.io/pause:3.10", "/pause", True),
    ("registry.k8s.io/etcd:3.6.4-0", "sleep", False), ("nginx:1.16", "redis-server", False),
    ("redis:3.2", "redis-server", True), ("myorg/app:1", "/app/server", True),
])
def test_has_binary_answers_what_exec_would_find(image, path, present):
    assert image_profile(image).has_binary(path) is present
