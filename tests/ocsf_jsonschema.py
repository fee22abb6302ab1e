"""A JSON Schema of one OCSF event class, compiled from the OCSF schema's own source files.

The OCSF project defines its schema as JSON files (``dictionary.json``, ``events/``, ``objects/``,
``profiles/``) and its server compiles them; we vendor the files of OCSF 1.5.0 that Compliance
Finding needs (``tests/data/ocsf-1.5.0``, see its README) and compile them here the way the server
does, so tests validate our events against OCSF itself, offline, not against our own models:

- a class or object is its ``extends`` chain merged parent first, with ``$include`` files merged in;
- an attribute's type and ``is_array`` come from the dictionary, overridden where the class says so;
- ``requirement: required`` attributes are required, except those a profile adds (a profile is
  optional);
- ``_id`` enums restrict values to the listed integers; ``class_uid``, ``category_uid`` and
  ``type_uid`` are computed as OCSF defines them;
- ``constraints`` (``at_least_one``, ``just_one``) become ``anyOf``/``oneOf`` of ``required``;
- no attribute outside the schema is allowed (``additionalProperties: false``), except in
  free-form ``object`` / ``json_t`` attributes such as ``unmapped``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

VENDORED = Path(__file__).parent / "data" / "ocsf-1.5.0"

Source = Callable[[str], dict[str, Any]]
_SCALARS = {
    "boolean_t": {"type": "boolean"},
    "float_t": {"type": "number"},
    "integer_t": {"type": "integer"},
    "long_t": {"type": "integer"},
    "string_t": {"type": "string"},
    "json_t": {},
}


def vendored_source(path: str) -> dict[str, Any]:
    return json.loads((VENDORED / path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


class Compiler:
    def __init__(self, source: Source = vendored_source) -> None:
        self._source = source
        self.read: set[str] = set()
        dictionary = self._load("dictionary.json")
        self._dictionary: dict[str, Any] = dictionary["attributes"]
        self._types: dict[str, Any] = dictionary["types"]["attributes"]
        self._categories: dict[str, Any] = self._load("categories.json")["attributes"]
        self._defs: dict[str, Any] = {}

    def _load(self, path: str) -> dict[str, Any]:
        self.read.add(path)
        return self._source(path)

    def event_class(self, path: str) -> dict[str, Any]:
        """The JSON Schema of the event class in ``path`` (e.g. ``events/findings/compliance_finding.json``)."""
        definition = self._load(path)
        attributes, _, from_profiles = self._resolve(definition, path)
        category = self._categories[self._category_of(definition, path)]
        class_uid = category["uid"] * 1000 + definition["uid"]
        schema = self._object_schema(attributes, {}, from_profiles)
        properties = schema["properties"]
        properties["category_uid"] = {"const": category["uid"]}
        properties["class_uid"] = {"const": class_uid}
        activity_ids = [int(k) for k in attributes["activity_id"].get("enum", {})]
        properties["type_uid"] = {"enum": [class_uid * 100 + a for a in activity_ids]}
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"OCSF {definition['caption']} ({class_uid})",
            **schema,
            "$defs": self._defs,
        }

    def _category_of(self, definition: dict[str, Any], path: str) -> str:
        while "category" not in definition:
            path = self._parent_path(definition["extends"], path)
            definition = self._load(path)
        return str(definition["category"])

    def _parent_path(self, name: str, path: str) -> str:
        folder = path.rsplit("/", 1)[0]
        candidates = [f"{folder}/{name}.json", f"events/{name}.json", f"objects/{name}.json"]
        for candidate in candidates:
            try:
                self._source(candidate)
            except (FileNotFoundError, KeyError):
                continue
            return candidate
        raise FileNotFoundError(f"{name}: parent of {path} not found")

    def _resolve(
        self, definition: dict[str, Any], path: str
    ) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
        """Attributes (merged along ``extends`` and ``$include``), constraints, profile-added names."""
        attributes: dict[str, Any] = {}
        constraints: dict[str, Any] = {}
        from_profiles: set[str] = set()
        parent = definition.get("extends")
        if parent and parent != "object":
            parent_path = self._parent_path(parent, path)
            attributes, constraints, from_profiles = self._resolve(self._load(parent_path), parent_path)
        own = dict(definition.get("attributes", {}))
        for include in own.pop("$include", []):
            included = self._load(include)
            for name, attribute in included.get("attributes", {}).items():
                attributes[name] = _merge(attributes.get(name, {}), attribute)
                if included.get("meta") == "profile":
                    from_profiles.add(name)
        for name, attribute in own.items():
            attributes[name] = _merge(attributes.get(name, {}), attribute)
        return attributes, definition.get("constraints", constraints), from_profiles

    def _object_schema(
        self, attributes: dict[str, Any], constraints: dict[str, Any], from_profiles: set[str]
    ) -> dict[str, Any]:
        properties = {name: self._attribute_schema(name, a) for name, a in attributes.items()}
        required = sorted(
            n for n, a in attributes.items() if a.get("requirement") == "required" and n not in from_profiles
        )
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if names := constraints.get("at_least_one"):
            schema["anyOf"] = [{"required": [n]} for n in names]
        if names := constraints.get("just_one"):
            schema["oneOf"] = [{"required": [n]} for n in names]
        return schema

    def _attribute_schema(self, name: str, attribute: dict[str, Any]) -> dict[str, Any]:
        entry = {**self._dictionary.get(name, {}), **attribute}
        enum = {**self._dictionary.get(name, {}).get("enum", {}), **attribute.get("enum", {})}
        item = self._type_schema(entry.get("object_type") or entry["type"])
        if enum and name.endswith("_id"):
            item = {"type": "integer", "enum": sorted(int(k) for k in enum)}
        return {"type": "array", "items": item} if entry.get("is_array") else item

    def _type_schema(self, type_name: str) -> dict[str, Any]:
        while type_name not in _SCALARS and type_name in self._types:
            type_name = self._types[type_name]["type"]
        if type_name in _SCALARS:
            return dict(_SCALARS[type_name])
        if type_name == "object":
            return {"type": "object"}
        if type_name not in self._defs:
            self._defs[type_name] = {}  # placeholder: objects refer to each other
            path = f"objects/{type_name}.json"
            attributes, constraints, from_profiles = self._resolve(self._load(path), path)
            self._defs[type_name] = self._object_schema(attributes, constraints, from_profiles)
        return {"$ref": f"#/$defs/{type_name}"}


def _merge(inherited: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """An attribute refined by a child: its keys win, enum values add to the parent's."""
    merged = {**inherited, **own}
    if "enum" in inherited and "enum" in own:
        merged["enum"] = {**inherited["enum"], **own["enum"]}
    return merged


def compliance_finding_schema(source: Source = vendored_source) -> dict[str, Any]:
    return Compiler(source).event_class("events/findings/compliance_finding.json")
