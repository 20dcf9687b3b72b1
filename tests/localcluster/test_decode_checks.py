"""Decode-time checks on the write path, judged by real kubectl: unknown fields under
fieldValidation=Strict (kubectl's default), wrong types always, and server-side apply's typed
conversion (`failed to create typed patch object ...`), with the real server's words."""

from __future__ import annotations

import pytest

TYPO = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: nginx\n"
        "    imagee: nginx:1.16\n")
WRONG_TYPE = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: wrong\nspec:\n  containers:\n  - name: nginx\n"
              "    image: 5\n")


@pytest.fixture
def manifest(tmp_path):
    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)
    return write


def test_client_side_apply_of_a_typo_fails_as_against_a_real_server(kubectl, namespace, manifest):
    path = manifest("x.yaml", TYPO)
    result = kubectl("apply", "-n", namespace, "-f", path)
    assert result.returncode == 1
    assert result.stderr.strip() == (f'Error from server (BadRequest): error when creating "{path}": Pod in version '
                                     '"v1" cannot be handled as a Pod: strict decoding error: unknown field '
                                     '"spec.containers[0].imagee"')


def test_without_strict_validation_the_unknown_field_is_not_the_complaint(kubectl, namespace, manifest):
    result = kubectl("apply", "--validate=false", "-n", namespace, "-f", manifest("x.yaml", TYPO))
    assert result.returncode == 1
    assert 'The Pod "typo" is invalid: spec.containers[0].image: Required value' in result.stderr


def test_wrong_types_fail_whatever_the_validation(kubectl, namespace, manifest):
    path = manifest("w.yaml", WRONG_TYPE)
    for flags in ((), ("--validate=false",)):
        result = kubectl("create", *flags, "-n", namespace, "-f", path)
        assert result.returncode == 1
        assert ('Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct '
                "field Container.spec.containers.image of type string") in result.stderr


def test_server_side_apply_reports_the_typed_patch_errors(kubectl, namespace, manifest):
    result = kubectl("apply", "--server-side", "-n", namespace, "-f", manifest("x.yaml", TYPO))
    assert result.returncode == 1
    assert result.stderr.strip() == (f"Error from server: failed to create typed patch object ({namespace}/typo; "
                                     '/v1, Kind=Pod): .spec.containers[name="nginx"].imagee: field not declared '
                                     "in schema")
    result = kubectl("apply", "--server-side", "-n", namespace, "-f", manifest("w.yaml", WRONG_TYPE))
    assert ('.spec.containers[name="nginx"].image: expected string, got &value.valueUnstructured{Value:5}'
            in result.stderr)


def test_a_merge_patch_that_breaks_a_type_is_refused(kubectl, namespace, manifest):
    good = TYPO.replace("imagee", "image")
    assert kubectl("apply", "-n", namespace, "-f", manifest("g.yaml", good)).returncode == 0
    result = kubectl("patch", "pod", "typo", "-n", namespace, "--type=merge",
                     "-p", '{"spec":{"activeDeadlineSeconds":"soon"}}')
    assert result.returncode == 1
    assert ("json: cannot unmarshal string into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64"
            in result.stderr)


def test_valid_objects_still_pass_strict_decoding(kubectl, namespace, manifest):
    good = TYPO.replace("imagee", "image")
    path = manifest("g.yaml", good)
    assert kubectl("apply", "-n", namespace, "-f", path).returncode == 0
    assert kubectl("apply", "-n", namespace, "-f", path).stdout.strip() == "pod/typo unchanged"
    assert kubectl("apply", "--server-side", "-n", namespace, "-f", path).returncode == 0
    assert kubectl("label", "pod", "typo", "-n", namespace, "a=b").returncode == 0
