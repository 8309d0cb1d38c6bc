from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class AssuranceValidator(OAuth2Validator):
    """Claims per provider user, so that each test picks its case by the
    user it signs in as: ``email`` is the pseudonymous ``sub``,
    ``first_name`` the ``acr`` (none when empty), ``last_name`` a ``bsn``
    claim (as some brokers send one)."""

    # Every claim below goes out with the "openid" scope.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        claims: dict[str, Any] = {"sub": user.email}
        if user.first_name:
            claims["acr"] = user.first_name
        if user.last_name:
            claims["bsn"] = user.last_name
        return claims
