"""A state URL's password, whatever it holds and wherever libpq takes it, never shows."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prop_strategies import THOROUGH

from dingscan.state.url import scrub_password, without_password

#: No ``*``: the mask is ``***``, and a password of stars cannot be told from it.
passwords = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="*"), min_size=1, max_size=16
)


@pytest.mark.hostile
@THOROUGH
@given(
    password=passwords,
    place=st.sampled_from(["user", "password", "sslpassword"]),
    encoding=st.sampled_from(["quote", "quote_plus_space", "upper_hex_of_all"]),
    before=st.sampled_from(["", "sslmode=disable&", "application_name=x&"]),
)
def test_a_password_is_masked_in_the_url_and_in_any_echo(
    password: str, place: str, encoding: str, before: str
) -> None:
    if encoding == "quote":
        written = quote(password, safe="")
    elif encoding == "quote_plus_space":
        written = quote(password, safe=" ").replace(" ", "+") if place != "user" else quote(password, safe="")
    else:  # every byte escaped, even letters: non-standard, and libpq reads it all the same
        written = "".join(f"%{byte:02X}" for byte in password.encode())
    if place == "user":
        url = f"postgresql://scanner:{written}@db.corp.example:5432/dingscan?{before}connect_timeout=3"
    else:
        url = f"postgresql://scanner@db.corp.example/dingscan?{before}{place}={written}&connect_timeout=3"

    shown = without_password(url)

    slot = f":{written}@" if place == "user" else f"{place}={written}&"
    assert shown == url.replace(slot, slot.replace(written, "***")), shown
    assert scrub_password(password, url) == scrub_password(written, url) == "***"  # as a driver echoes it
