"""YAML sessions: `y` on a row opens a tab with the object as `kubectl get -o yaml` prints it, live.

Key decisions: the object is watched (`kube.object_following.ObjectFollow`, on the app's
connection of the moment) and printed, as each watch event brings it, by
`kube.inspecting.yaml_text` (`kubetui get -o yaml`'s printer), its YAML coloured there too (by
`widgets.yaml_highlight`, off the UI loop); the tab keeps the object for `E`, whose manifest
(`kube.inspecting.editable_yaml`) the workspace puts in the apply dock. Files are saved in the
manifests directory the apply dock browses. `y` again on an open object shows its tab.
"""

from __future__ import annotations

from kubetui.model import kubectl_equivalent as kubectl
from kubetui.ui.sessions.object_tabs import ObjectTabSessions
from kubetui.ui.widgets.inspect_tab import Page
from kubetui.ui.widgets.yaml_tab import YamlTab


class YamlSessions(ObjectTabSessions):
    """The YAML kind of session, working for (and through) a `SessionsArea`."""

    VERB, TITLE, NOTHING = "yaml", "YAML", "nothing is selected to show"

    def equivalent(self, resource, namespace: str | None, name: str):
        return kubectl.get_yaml(resource, namespace, name)

    def new_tab(self, title: str, resource, namespace: str | None, name: str) -> YamlTab:
        app = self.area.app
        api_client = app.connection.api_client

        def follow(**callbacks):
            from kubetui.kube.object_following import ObjectFollow

            return ObjectFollow(api_client, resource, namespace, name, with_events=False, **callbacks)

        def page(obj: dict, managed_fields: bool) -> Page:
            from kubetui.kube.inspecting import yaml_text
            from kubetui.ui.widgets.yaml_highlight import highlight_lines

            text = yaml_text(obj, resource, managed_fields=managed_fields)
            return Page(text, highlight_lines(text.splitlines()), obj)

        def manifest(obj: dict) -> str:
            from kubetui.kube.inspecting import editable_yaml

            return editable_yaml(obj, resource)

        return YamlTab(title, follow, page, manifest, file_stem=f"{resource.kind.lower()}-{name}",
                       directory=app.manifests_dir)
