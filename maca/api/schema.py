"""The OpenAPI schema: every operation documents the errors it can give, in the one error
shape (`maca.api.errors`), and the bearer token is described as a security scheme."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        help_text="Where the problem is, e.g. `answers[3].option`; empty for the whole request."
    )
    message = serializers.CharField()


class ApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = ErrorItemSerializer(many=True)


ERROR_DESCRIPTIONS = {
    "400": "The request is not valid; `errors` names each field that is wrong.",
    "401": "No token, or a token that is not valid, has expired or has been revoked.",
    "403": "You may see this but not do that (e.g. submit another agency's return).",
    "404": "Not found, or outside what you may see.",
    "409": "It changed since you read it: read it again and retry.",
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404"]
        if self.method in WRITE_METHODS:
            codes.append("409")
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(
                    ApiErrorSerializer, code, direction=direction
                )
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "maca.api.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Bearer", bearer_format="maca_…"
        )
