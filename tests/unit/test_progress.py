import io

from dingscan.report.progress import TerminalProgress
from dingscan.snapshot import Section


def test_progress_reports_each_area_with_size_status_and_reason() -> None:
    stream = io.StringIO()
    progress = TerminalProgress(stream)
    progress.started("users")
    progress.finished("users", Section.collected([1, 2, 3]))
    progress.started("admins")
    progress.finished("admins", Section[list[int]].failed("app lacks permission qyapi_get_member"))
    users, admins = stream.getvalue().splitlines()
    assert users.split()[:4] == ["users", "ok", "3", "records"]
    assert "failed" in admins and admins.endswith("- app lacks permission qyapi_get_member")
