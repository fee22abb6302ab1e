"""Talks to DingTalk, and nothing else: tokens, hosts, limits, retries, errors, paging."""

from dingscan.client.client import CallStats, DingTalkClient, RetryPolicy
from dingscan.client.endpoints import CATALOGUE, Endpoint, Host
from dingscan.client.errors import DingTalkError
from dingscan.client.hosts import HostMap

__all__ = [
    "CATALOGUE",
    "CallStats",
    "DingTalkClient",
    "DingTalkError",
    "Endpoint",
    "Host",
    "HostMap",
    "RetryPolicy",
]
