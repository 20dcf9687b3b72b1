"""Errors the local API server answers with a `Status` body.

Key decision: every helper reproduces the wording, reason and `details` layout of
k8s.io/apimachinery `api/errors` (NewNotFound, NewConflict, NewInvalid, ...), because
kubectl and the Python client print the server's `message` verbatim and tests compare
against what a real cluster says.
"""

from __future__ import annotations

from kubetui.model.api_names import invalid_message
from kubetui.model.go_quote import go_quote

STORAGE_CONFLICT = (
    "the object has been modified; please apply your changes to the latest version and try again"
)
DEFAULT_BODY_MEDIA_TYPES = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
PATCH_MEDIA_TYPES = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
)


class ApiError(Exception):
    """An error the API server answers with a Status body."""

    def __init__(self, code: int, reason: str, message: str, details: dict | None = None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details

    def status(self) -> dict:
        body: dict = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body

    def __repr__(self) -> str:
        return f"ApiError({self.code}, {self.reason!r}, {self.message!r})"


def qualified_resource(resource: str, group: str = "") -> str:
    """`pods`, or `deployments.apps` (GroupResource.String())."""
    return f"{resource}.{group}" if group else resource


def _resource_details(resource: str, name: str, group: str) -> dict:
    details: dict = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    details["kind"] = resource
    return details


def not_found(resource: str, name: str, group: str = "") -> ApiError:
    """404 `pods "x" not found` / `deployments.apps "x" not found`."""
    return ApiError(
        404,
        "NotFound",
        f"{qualified_resource(resource, group)} {go_quote(name)} not found",
        _resource_details(resource, name, group),
    )


def path_not_found() -> ApiError:
    """404 for a path nothing serves (unknown group, resource or subresource). The apiserver's
    NewGenericServerResponse leaves an empty `details` object, and kubectl debug dereferences it."""
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def already_exists(resource: str, name: str, group: str = "") -> ApiError:
    return ApiError(
        409,
        "AlreadyExists",
        f"{qualified_resource(resource, group)} {go_quote(name)} already exists",
        _resource_details(resource, name, group),
    )


def conflict(resource: str, name: str, msg: str = STORAGE_CONFLICT, group: str = "") -> ApiError:
    return ApiError(
        409,
        "Conflict",
        f"Operation cannot be fulfilled on {qualified_resource(resource, group)} {go_quote(name)}: {msg}",
        _resource_details(resource, name, group),
    )


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def unsupported_media_type(content_type: str = "", accepted=DEFAULT_BODY_MEDIA_TYPES) -> ApiError:
    """415; like the real server the message lists what is accepted, not what was sent."""
    del content_type  # the apiserver does not echo it either
    return ApiError(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(accepted),
    )


def forbidden(resource: str, name: str, reason_text: str, group: str = "") -> ApiError:
    if not resource:
        message = f"forbidden: {reason_text}"
    elif not name:
        message = f"{qualified_resource(resource, group)} is forbidden: {reason_text}"
    else:
        message = f"{qualified_resource(resource, group)} {go_quote(name)} is forbidden: {reason_text}"
    return ApiError(403, "Forbidden", message, _resource_details(resource, name, group))


def unauthorized() -> ApiError:
    return ApiError(401, "Unauthorized", "Unauthorized")


def gone_expired(message: str) -> ApiError:
    """410 Expired, e.g. `too old resource version: 1 (101)`."""
    return ApiError(410, "Expired", message)


def method_not_allowed() -> ApiError:
    return ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")


def unprocessable(cause_message: str = "") -> ApiError:
    """422 as NewGenericServerResponse builds it (a failed JSON patch, for instance).

    The real server drops the underlying error text; we keep it as a cause so a
    user of kubetui can see what went wrong, while `message` stays identical.
    """
    details: dict = {}
    if cause_message:
        details["causes"] = [{"message": cause_message}]
    return ApiError(422, "Invalid", "the server rejected our request due to an error in our request", details)


def cause_text(cause: dict) -> str:
    """field.Error.Error(): `<field>: <body>`."""
    return f"{cause.get('field', '')}: {cause.get('message', '')}"


def invalid(kind: str, name: str, causes: list[dict], group: str = "") -> ApiError:
    """422 `Pod "x" is invalid: ...` exactly as errors.NewInvalid formats it."""
    message = invalid_message(kind, group, name, [cause_text(cause) for cause in causes])
    details: dict = {}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    details["kind"] = kind
    details["causes"] = [dict(c) for c in causes]
    return ApiError(422, "Invalid", message, details)


def too_large_resource_version(requested: int, current: int) -> ApiError:
    """storage.NewTooLargeResourceVersionError: a resourceVersion the server has not reached.

    A 504 Timeout (NewTimeoutError prefixes "Timeout: ") whose cause tells client-go's reflector
    to list afresh; kube-apiserver sends it after waiting up to 3 s for its cache to catch up,
    which a store that is never behind skips.
    """
    return ApiError(504, "Timeout", f"Timeout: Too large resource version: {requested}, current: {current}",
                    {"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
                     "retryAfterSeconds": 1})
