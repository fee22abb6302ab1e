"""Reading the user-facing YAML files (policy, attestations, config) with errors that name a line.

PyYAML's ``safe_load`` gives plain data but forgets where it came from; composing the node tree
alongside lets a validation error point at ``policy.yaml:12``.

These files can come from someone else (bundles carry the policy and attestations they were
judged against), so they are read defensively: at most :data:`MAX_INPUT_BYTES`, and without YAML
aliases (``*name``), which no dingscan file needs and which let a kilobyte expand to gigabytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

M = TypeVar("M", bound=BaseModel)

#: Largest policy, attestation or config file read (a long register is tens of kilobytes).
MAX_INPUT_BYTES = 4 * 1024 * 1024


class YamlFileError(ValueError):
    """A user-facing YAML file that cannot be used; the message is one line."""


class _NoAliasLoader(yaml.SafeLoader):
    """``safe_load`` that refuses aliases (``*name``) instead of expanding them, refuses a key
    repeated in one mapping, and keeps dates as text: PyYAML fails on ``2026-13-01`` with a bare
    ValueError that has no line, whereas the model's date check reports it with file and line.

    PyYAML keeps the last of two equal keys silently, so an exceptions entry that repeats
    ``control:`` further down would accept risks of a control its first lines never named, and
    the reader of the file would not see it (the bundle's JSON reader refuses them the same way).
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # <<: keys it brings may be overridden
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                seen = first_line.get(key)
            except TypeError:  # an unhashable key: the constructor refuses it with its own message
                continue
            if seen is not None:
                problem = f"duplicate key {_printable_key(str(key))} (first on line {seen})"
                raise yaml.constructor.ConstructorError(None, None, problem, key_node.start_mark)
            first_line[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


def _timestamp_as_text(loader: _NoAliasLoader, node: yaml.Node) -> str:
    return str(node.value)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def read_text(path: Path, error: type[ValueError] = YamlFileError) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise error(f"{path}: larger than {MAX_INPUT_BYTES // 1024 // 1024} MiB; not a dingscan file")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None


def parse_model(model: type[M], text: str, source: str, error: type[ValueError] = YamlFileError) -> M:
    """``text`` as a YAML mapping validated into ``model``; any problem is one ``error`` line
    (the first; ``dingscan validate`` lists them all, see :func:`problems_in`)."""
    try:
        raw, root = parse_yaml_mapping(text, source)
    except YamlFileError as exc:
        raise error(str(exc)) from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = describe_validation_errors(source, root, exc)
        more = f" (and {len(problems) - 1} more: dingscan validate lists them)" if len(problems) > 1 else ""
        raise error(problems[0] + more) from None


def problems_in(model: type[BaseModel], text: str, source: str) -> list[str]:
    """Every problem of ``text`` as a ``model`` file, one line each; empty when it is valid."""
    try:
        raw, root = parse_yaml_mapping(text, source)
    except YamlFileError as exc:
        return [str(exc)]
    try:
        model.model_validate(raw)
    except ValidationError as exc:
        return describe_validation_errors(source, root, exc)
    return []


def load_yaml_mapping(path: Path) -> tuple[dict[str, Any], yaml.Node | None]:
    """The file's top-level mapping and its node tree; an empty file is an empty mapping."""
    return parse_yaml_mapping(read_text(path), str(path))


def parse_yaml_mapping(text: str, path: str) -> tuple[dict[str, Any], yaml.Node | None]:
    """Like :func:`load_yaml_mapping` for text already read; ``path`` names it in errors."""
    try:
        root = yaml.compose(text, Loader=_NoAliasLoader)
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise YamlFileError(f"{path}:{line}: not valid YAML: {_flat(exc.problem)}") from None
    except Exception as exc:  # PyYAML's constructors raise plain errors (bad dates, !!int abc, deep nesting)
        raise YamlFileError(f"{path}: not valid YAML: {type(exc).__name__}: {_flat(exc)}") from None
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        raise YamlFileError(f"{path}: expected a mapping of keys at the top level")
    return data, root


def locate(root: yaml.Node | None, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the node at ``loc`` (or of its nearest existing parent)."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def describe_validation_errors(source: str, root: yaml.Node | None, exc: ValidationError) -> list[str]:
    """Each validation error as one line: ``file:line: dotted.key: message``."""
    return [_describe(source, root, error) for error in exc.errors()]


def _describe(source: str, root: yaml.Node | None, error: ErrorDetails) -> str:
    line = locate(root, error["loc"])
    where = f"{source}:{line}" if line else source
    key = ".".join(_printable_key(k) for k in error["loc"]) or "(top level)"
    message = (
        "unknown key" if error["type"] == "extra_forbidden" else error["msg"].removeprefix("Value error, ")
    )
    return f"{where}: {key}: {_flat(message)}"


def _printable_key(key: int | str) -> str:
    """A key as the user wrote it, quoted when it holds spaces, line breaks or control characters."""
    text = str(key)
    return text if text.isprintable() and " " not in text else repr(text)


def _flat(text: object) -> str:
    """One line: every run of whitespace, line breaks included, folded to a space."""
    return " ".join(str(text).split())
