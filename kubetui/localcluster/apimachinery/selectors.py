"""The `labelSelector` and `fieldSelector` of a request, parsed, a bad one answered with 400.

Label selectors follow `kubetui.model.label_selectors`, the one copy the client shares (its
row filter must agree with the server on every input); field selectors are served only here
(`field_selectors`). Key decision: the model raises a plain LabelSelectorError, and this is
the one place that turns it into the apiserver's Bad Request, its message unchanged.
"""

from __future__ import annotations

from kubetui.localcluster.apimachinery.errors import bad_request
from kubetui.localcluster.apimachinery.field_selectors import parse_field_selector
from kubetui.model.label_selectors import LabelSelector, LabelSelectorError
from kubetui.model.label_selectors import parse_label_selector as parse_label_text

__all__ = ["parse_field_selector", "parse_label_selector"]


def parse_label_selector(text: str) -> LabelSelector:
    """`?labelSelector=` text; raises ApiError 400 with the apiserver's parse message."""
    try:
        return parse_label_text(text)
    except LabelSelectorError as err:
        raise bad_request(str(err)) from None
