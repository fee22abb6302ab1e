"""Errors about bundles and their signatures: each a one-line message a person can act on."""

from dingscan.errors import UserError


class BundleError(UserError, ValueError):
    """A bundle that cannot be replayed as it is."""


class UnsafeBundle(BundleError):
    """A bundle that reaches outside itself or past its limits: refused even when a changed
    file would be forgiven (``--allow-unverified``)."""


class SigningError(UserError, ValueError):
    """A key that cannot be used, a missing signing package, or a signature that does not verify."""
