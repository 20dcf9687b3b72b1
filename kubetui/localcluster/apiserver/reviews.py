"""The self reviews: who am I, may I, what may I (`kubectl auth whoami`, `auth can-i`,
`auth can-i --list`).

Key decision: nothing is stored; each review is answered from the caller's own RBAC rules
(auth.py), the very rules every other request is authorized with, and echoed back with its
status like kube-apiserver's review storage does (201 Created). An allowed access carries the
RBAC authorizer's reason; a denied one has none, as RBAC's NoOpinion gives none.
"""

from __future__ import annotations

from aiohttp import web

from kubetui.localcluster.apimachinery import errors
from kubetui.localcluster.apiserver.auth import User
from kubetui.localcluster.apiserver.http_io import json_response, read_object
from kubetui.localcluster.apiserver.state import CreateHandler

_AUTHORIZATION = "authorization.k8s.io/v1"


def _review(body: dict, api_version: str, kind: str) -> dict:
    if body.get("apiVersion") not in (None, "", api_version) or body.get("kind") not in (None, "", kind):
        raise errors.bad_request(f"the API version in the data ({body.get('apiVersion')}) does not match "
                                 f"the expected API version ({api_version})")
    meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    return {"kind": kind, "apiVersion": api_version, "metadata": {k: v for k, v in meta.items() if v},
            "spec": body.get("spec") if isinstance(body.get("spec"), dict) else {}}


async def access_review(request: web.Request, user: User) -> web.StreamResponse:
    review = _review(await read_object(request), _AUTHORIZATION, "SelfSubjectAccessReview")
    spec = review["spec"]
    attributes, non_resource = spec.get("resourceAttributes"), spec.get("nonResourceAttributes")
    if isinstance(attributes, dict) and isinstance(non_resource, dict):
        raise _invalid("spec.nonResourceAttributes", "cannot be specified in combination with resourceAttributes",
                       non_resource)
    if isinstance(attributes, dict):
        resource = str(attributes.get("resource") or "")
        if attributes.get("subresource"):
            resource += f"/{attributes['subresource']}"
        role = user.allowed(str(attributes.get("verb") or ""), str(attributes.get("group") or ""), resource)
    elif isinstance(non_resource, dict):
        role = user.allowed_path(str(non_resource.get("verb") or ""), str(non_resource.get("path") or ""))
    else:
        raise _invalid("spec.resourceAttributes",
                       "exactly one of nonResourceAttributes or resourceAttributes must be specified", None)
    review["status"] = {"allowed": True, "reason": role.reason()} if role else {"allowed": False}
    return json_response(review, 201)


async def rules_review(request: web.Request, user: User) -> web.StreamResponse:
    review = _review(await read_object(request), _AUTHORIZATION, "SelfSubjectRulesReview")
    rules = [rule.as_json() for rule in user.rules()]
    review["status"] = {"resourceRules": [r for r in rules if "resources" in r],
                        "nonResourceRules": [r for r in rules if "nonResourceURLs" in r],
                        "incomplete": False}
    return json_response(review, 201)


async def self_review(request: web.Request, user: User) -> web.StreamResponse:
    review = _review(await read_object(request), "authentication.k8s.io/v1", "SelfSubjectReview")
    review.pop("spec")
    info: dict = {"username": user.name}
    if user.uid:
        info["uid"] = user.uid
    info["groups"] = list(user.groups)
    review["status"] = {"userInfo": info}
    return json_response(review, 201)


def _invalid(field: str, detail: str, value: dict | None) -> errors.ApiError:
    """field.Invalid with the value printed as Go prints it: a nil pointer as "null", the
    internal struct with %#v."""
    if value is None:
        shown = '"null"'
    else:
        fields = ", ".join(f"{key.capitalize()}:{errors.go_quote(str(value.get(key) or ''))}"
                           for key in ("path", "verb"))
        shown = f"authorization.NonResourceAttributes{{{fields}}}"
    return errors.invalid("SelfSubjectAccessReview", "", [{
        "reason": "FieldValueInvalid", "field": field,
        "message": f"Invalid value: {shown}: {detail}"}], group="authorization.k8s.io")


REVIEWS: dict[str, CreateHandler] = {
    "selfsubjectaccessreviews": access_review,
    "selfsubjectrulesreviews": rules_review,
    "selfsubjectreviews": self_review,
}
