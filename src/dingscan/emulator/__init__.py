"""A DingTalk Open API emulator on loopback, for tests, benchmarks and the demo.

It serves both hosts from a tenant description, exactly as ``dingtalk-api.md`` documents them
(envelopes, pagination, size caps, field permissions, error codes, QPS limits, monthly quota),
and can inject the failures real tenants produce. It shares no code with dingscan's client, so
a misreading of the API in one is not silently mirrored in the other.

    tenant = load_tenant(Path("fixtures/tenants/demo.yaml"))
    with Emulator(tenant, faults=[Fault("http_503", path="/topapi/v2/user/list")]) as emu:
        ...  # point a client at emu.oapi_url and emu.api_url
"""

from dingscan.emulator.faults import Fault
from dingscan.emulator.generate import generate_tenant
from dingscan.emulator.server import Emulator
from dingscan.emulator.tenant import Tenant, load_tenant

__all__ = ["Emulator", "Fault", "Tenant", "generate_tenant", "load_tenant"]
