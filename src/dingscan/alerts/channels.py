"""The alert channels, registered in one place: a new channel is one module (its target model
and a :class:`Channel`) plus one line here, or a package's entry point in the group
``dingscan.alert_channels`` naming a :class:`Channel` object.

``NotifyTarget`` (what a config file's ``notify`` list holds) is the union of every registered
channel's target model, told apart by its ``kind``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Annotated, Any, Protocol, Union

import httpx
from pydantic import BaseModel, Field

from dingscan.alerts.config import RobotTarget, WebhookTarget
from dingscan.alerts.delivery import SendContext
from dingscan.alerts.robot import RobotChannel
from dingscan.alerts.webhook import WebhookChannel
from dingscan.findings import FindingsDocument

ENTRY_POINT_GROUP = "dingscan.alert_channels"


class Channel(Protocol):
    """How one kind of target is told what is new."""

    @property
    def kind(self) -> str:
        """The ``kind`` of its targets in a config file."""

    @property
    def label(self) -> str:
        """How messages name it ("webhook")."""

    @property
    def model(self) -> type[BaseModel]:
        """Its target model, with ``kind: Literal[...]``."""

    @property
    def idempotent(self) -> bool:
        """Whether its receiver de-duplicates on the delivery id, so that an attempt that may
        have landed can be repeated; if not, such an attempt is never repeated."""

    def message(
        self, target: Any, tenant: str, document: FindingsDocument, delivery_id: str
    ) -> dict[str, Any]:
        """The message for ``document``; whether a quiet target is told at all is decided once,
        for every channel, by :func:`dingscan.alerts.outbox.owed_alerts`."""

    async def send(
        self,
        http: httpx.AsyncClient,
        target: Any,
        payload: dict[str, Any],
        delivery_id: str,
        context: SendContext,
    ) -> None:
        """One attempt; raises :class:`~dingscan.alerts.delivery.NotDelivered`."""


def _registered() -> dict[str, Channel]:
    builtin: list[Channel] = [RobotChannel(), WebhookChannel()]
    plugins: list[Channel] = [point.load() for point in entry_points(group=ENTRY_POINT_GROUP)]
    return {channel.kind: channel for channel in (*builtin, *plugins)}


CHANNELS: Mapping[str, Channel] = _registered()

if TYPE_CHECKING:
    NotifyTarget = RobotTarget | WebhookTarget
else:
    NotifyTarget = Annotated[
        Union[tuple(c.model for c in CHANNELS.values())],  # noqa: UP007 - built at run time
        Field(discriminator="kind"),
    ]


def channel_of(target: NotifyTarget) -> Channel:
    return CHANNELS[str(target.kind)]


def target_key(target: NotifyTarget) -> str:
    """A stable name for a target that holds no secret: its kind and a digest of its settings
    (addresses and the *names* of its secrets, not whether it is quiet), to find an owed alert's
    target in a later run."""
    digest = hashlib.sha256(target.model_dump_json(exclude={"quiet"}).encode()).hexdigest()[:16]
    return f"{target.kind}:{digest}"
