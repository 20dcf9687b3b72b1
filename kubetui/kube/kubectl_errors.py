"""The last line `kubectl get` prints when a list or a GET fails, worded as kubectl words it.

A port of kubectl's `StandardErrorMessage`, cli-runtime's `EnhanceListError` (400/404 on a list
name the resource and the selectors) and client-go's `NewGenericServerResponse` (an error status
without a Status body). Key decision: the server's own Status `reason` and `message` are used
whenever it sent them, so the words are the API server's, as with kubectl.
"""

from __future__ import annotations

from typing import Any

from kubetui.errors import status_message

__all__ = ["kubectl_error_text", "resource_text", "server_message"]

POD_RESOURCE = '"/v1, Resource=pods"'  # schema.GroupVersionResource.String() for core/v1 pods

# apimachinery's knownReasons: a code only stands in for the reason when the reason is unknown.
_KNOWN_REASONS = frozenset((
    "Unauthorized", "Forbidden", "NotFound", "AlreadyExists", "Conflict", "Gone", "Invalid",
    "ServerTimeout", "StoreReadError", "Timeout", "TooManyRequests", "BadRequest", "MethodNotAllowed",
    "NotAcceptable", "RequestEntityTooLarge", "UnsupportedMediaType", "InternalError", "Expired",
    "ServiceUnavailable",
))
_GENERIC = {
    400: ("BadRequest", "the server rejected our request for an unknown reason"),
    401: ("Unauthorized", "the server has asked for the client to provide credentials"),
    403: ("Forbidden", "the server does not allow access to the requested resource"),
    404: ("NotFound", "the server could not find the requested resource"),
    405: ("MethodNotAllowed", "the server does not allow this method on the requested resource"),
    422: ("Invalid", "the server rejected our request due to an error in our request"),
    429: ("TooManyRequests", "the server has received too many requests and has asked us to try again later"),
    503: ("ServiceUnavailable", "the server is currently unable to handle the request"),
    504: ("Timeout", "the server was unable to return a response in the time allotted, "
                     "but may still be processing the request"),
}


def kubectl_error_text(exc: BaseException, server: str, *, label_selector: str | None = None,
                       field_selector: str | None = None, resource: str = POD_RESOURCE,
                       request: str = "get pods", listing: bool = True) -> str:
    """`resource` is the GroupVersionResource kubectl names in a list error (`"apps/v1,
    Resource=deployments"`), `request` what client-go appends to a status without a body
    (`get deployments.apps x`); `listing` is False for a GET of one named object."""
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status:
        reason, message = _status_words(exc, status, request)
        if listing and (_is(reason, status, "BadRequest", 400) or _is(reason, status, "NotFound", 404)):
            message = _enhanced(message, label_selector or "", field_selector or "", resource)
        if reason == "Unauthorized":
            return f"error: You must be logged in to the server ({message})"
        if reason:
            return f"Error from server ({reason}): {message}"
        return f"Error from server: {message}"
    return _transport_text(exc, server)


def server_message(exc: BaseException, server: str, request: str) -> str:
    """client-go's `err.Error()` for a failed request: the server's Status message (or its
    generic words for a status without one), else the transport failure as kubectl words it."""
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status:
        return _status_words(exc, status, request)[1]
    return _transport_text(exc, server)


def resource_text(group: str, version: str, plural: str) -> str:
    """schema.GroupVersionResource.String(), quoted: `"apps/v1, Resource=deployments"`."""
    return f'"{group}/{version}, Resource={plural}"'


def _status_words(exc: Any, status: int, request: str) -> tuple[str, str]:
    reason, message = status_message(getattr(exc, "body", None))
    if message or reason:
        return reason, message
    reason, message = _GENERIC.get(status, (
        "InternalError" if status >= 500 else "",
        f"the server responded with the status code {status} but did not return more information"))
    if status >= 500 and status not in _GENERIC:
        body = (getattr(exc, "body", None) or "").strip()
        message = f'an error on the server ("{body}") has prevented the request from succeeding'
    return reason, f"{message} ({request})"


def _is(reason: str, code: int, wanted_reason: str, wanted_code: int) -> bool:
    return reason == wanted_reason or (reason not in _KNOWN_REASONS and code == wanted_code)


def _enhanced(message: str, label_selector: str, field_selector: str, resource: str) -> str:
    if not label_selector and not field_selector:
        return f"Unable to list {resource}: {message}"
    return (f'Unable to find {resource} that match label selector "{label_selector}", '
            f'field selector "{field_selector}": {message}')


# OpenSSL's verify codes for a chain no trusted CA signed: Go's x509.UnknownAuthorityError.
_UNKNOWN_AUTHORITY = {2, 18, 19, 20, 21}


def _transport_text(exc: BaseException, server: str) -> str:
    host = server.split("://", 1)[-1].rstrip("/")
    cause = getattr(exc, "reason", None) or exc  # urllib3 wraps the real cause
    if isinstance(cause, str):  # an ssl error's own reason (e.g. CERTIFICATE_VERIFY_FAILED): not a cause
        cause = exc
    text = f"{type(exc).__name__}: {exc} {cause}"
    if "refused" in text.lower():
        return f"The connection to the server {host} was refused - did you specify the right host or port?"
    detail = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text.lower():
        if _verify_code(exc) in _UNKNOWN_AUTHORITY:
            detail = "x509: certificate signed by unknown authority"
        return f"Unable to connect to the server: tls: failed to verify certificate: {detail}"
    return f"Unable to connect to the server: {detail}"


def _verify_code(exc: BaseException) -> int | None:
    """The OpenSSL verify code of the certificate error inside `exc` (urllib3 nests it)."""
    seen: list[BaseException] = []
    pending: list[object] = [exc]
    while pending:
        error = pending.pop()
        if not isinstance(error, BaseException) or any(error is other for other in seen):
            continue
        seen.append(error)
        code = getattr(error, "verify_code", None)
        if isinstance(code, int):
            return code
        pending.extend([getattr(error, "reason", None), error.__cause__, error.__context__, *error.args])
    return None
