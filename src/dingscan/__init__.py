"""dingscan: security posture scanner for DingTalk (钉钉) tenants."""

__version__ = "0.1.0"
