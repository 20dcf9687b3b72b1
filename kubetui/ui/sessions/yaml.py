"""YAML sessions: `y` on a row opens a tab with the object as `kubectl get -o yaml` prints it, live.

Key decisions: the object is read afresh every two seconds in the tab's worker and printed by
`kube.inspecting.yaml_text` (`kubetui get -o yaml`'s printer), its YAML coloured there too (by
`widgets.yaml_highlight`, off the UI loop); the tab keeps the object for `E`, whose manifest
(`kube.inspecting.editable_yaml`) the workspace puts in the apply dock. Files are saved in the
manifests directory the apply dock browses. `y` again on an open object shows its tab.
"""

from __future__ import annotations

from kubetui.ui.widgets.inspect_tab import Page
from kubetui.ui.widgets.yaml_tab import YamlTab


class YamlSessions:
    """The YAML kind of session, working for (and through) a `SessionsArea`."""

    def __init__(self, area) -> None:
        self.area = area
        self._tabs: dict[tuple, YamlTab] = {}

    def request(self, target: tuple[str | None, str] | None, action: str, resource=None) -> None:
        """``target``: (namespace or None, name) of an object of ``resource`` (an `ApiResource`)."""
        if target is None or resource is None:
            self.area.notify("nothing is selected to show", title="YAML", severity="warning")
            return
        namespace, name = target
        key = (resource.resource_text, namespace, name)
        tab = self._tabs.get(key)
        if tab is not None and self.area.show_session(tab):
            return
        app = self.area.app

        def fetch(managed_fields: bool) -> Page:
            from kubetui.kube.inspecting import read_object, yaml_text
            from kubetui.ui.widgets.yaml_highlight import highlight_lines

            conn = app.connection
            obj = read_object(conn.api_client, conn.server, resource, namespace, name)
            text = yaml_text(obj, resource, managed_fields=managed_fields)
            return Page(text, highlight_lines(text.splitlines()), obj)

        def manifest(obj: dict) -> str:
            from kubetui.kube.inspecting import editable_yaml

            return editable_yaml(obj, resource)

        where = f" in {namespace}" if namespace and resource.namespaced else ""
        tab = self._tabs[key] = YamlTab(f"{resource.kind_text}/{name}{where}", fetch, manifest,
                                        file_stem=f"{resource.kind.lower()}-{name}", directory=app.manifests_dir)
        self.area.open_session(f"yaml {name}", tab)
