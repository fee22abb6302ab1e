"""Alerts after a scan: a DingTalk group robot and a generic signed webhook.

They write to other endpoints with other credentials than the scan, so they live here, apart
from the read-only tenant client, and never share its transport or its guard.
"""
