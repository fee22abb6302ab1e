"""A ``postgresql://`` state URL's password, kept out of every message.

libpq takes the password in the user part (``user:password@host``) and in the query string
(``?password=...``, and ``sslpassword`` for the client key), percent-encoded or not; its own errors
echo the text back (``unexpected spaces found in "..."``). So each form of each password is
registered with the secret scrubber as soon as the URL is parsed, before anything can print it,
and the URL as shown (:func:`without_password`) masks both places.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_plus, urlsplit

from dingscan.redaction import REDACTED, SECRETS

#: Query parameters of a libpq URL that hold a secret.
_SECRET_PARAMS = ("password", "sslpassword")
_SECRET_QUERY = re.compile(rf"(?<![^?&])({'|'.join(_SECRET_PARAMS)})=([^&#]*)", re.IGNORECASE)


def password_forms(url: str) -> list[str]:
    """Every password in ``url``, as written and decoded (longest first, so none is left in part)."""
    parts = urlsplit(url)
    written = [raw for _, raw in _SECRET_QUERY.findall(parts.query)]
    userinfo = parts.netloc.rpartition("@")[0]
    if ":" in userinfo:
        written.append(userinfo.partition(":")[2])
    forms = {form for raw in written for form in (raw, unquote(raw), unquote_plus(raw)) if form}
    return sorted(forms, key=len, reverse=True)


def register_password(url: str) -> None:
    """Register every form of ``url``'s passwords with :data:`~dingscan.redaction.SECRETS`."""
    for form in password_forms(url):
        SECRETS.register(form)


def scrub_password(text: str, url: str) -> str:
    """``text`` (a driver's error, say) without any form of ``url``'s passwords, however short:
    the registry ignores values under six characters, this does not."""
    for form in password_forms(url):
        text = text.replace(form, REDACTED)
    return text


def without_password(url: str) -> str:
    """The URL as messages may show it: both places a password can be are masked."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if ":" in userinfo:
        netloc = f"{userinfo.partition(':')[0]}:{REDACTED}{at}{host}"
        url = url.replace(parts.netloc, netloc, 1)
    return _SECRET_QUERY.sub(lambda m: f"{m.group(1)}={REDACTED}", url)
