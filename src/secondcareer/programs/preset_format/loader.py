"""The YAML loader in front of the models: PyYAML's safe loader, refusing a key
written twice in one mapping (PyYAML keeps the last one silently, which hides
copy-paste mistakes)."""

from __future__ import annotations

from typing import Any

import yaml
from django.utils.translation import gettext as _

from secondcareer.programs.preset_format.errors import PresetError, PresetInvalid


class _StrictLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                _("キー %(key)r が2回書かれています") % {"key": key},
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, file: str) -> Any:
    """The data of YAML ``text``; :class:`PresetInvalid` naming the line when it is not
    YAML (``file`` names it)."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        where = (
            _("%(line)s行目 %(column)s文字目") % {"line": mark.line + 1, "column": mark.column + 1}
            if mark
            else ""
        )
        detail = f"{problem} ({context})" if context else problem
        message = _("YAML として読めません: %(detail)s") % {"detail": detail}
        raise PresetInvalid(file, [PresetError(where, message)]) from exc
