"""Server-rendered pages: a person's API tokens, and the API documentation drawn from the
OpenAPI schema (no JavaScript from elsewhere, so the strict CSP holds)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from drf_spectacular.generators import SchemaGenerator

from maca.accounts.requests import SignedInRequest
from maca.api.forms import TokenCreateForm
from maca.api.selectors import api_tokens_for
from maca.api.services import api_token_create, api_token_revoke
from maca.core.errors import Refused, add_refusal

# --- Tokens ---------------------------------------------------------------------------------


def tokens(request: SignedInRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                new_token = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                )
            except Refused as refusal:
                add_refusal(form, refusal)
            else:
                # Rendered, not redirected: the secret must not be kept anywhere to show later.
                form = TokenCreateForm()
    else:
        form = TokenCreateForm()
    context = {"form": form, "tokens": api_tokens_for(request.user), "new_token": new_token}
    response = render(request, "api/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request: SignedInRequest, token_id: int) -> HttpResponse:
    token = api_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, f"The token '{token.name}' has been revoked. It no longer works.")
    return redirect("api:tokens")


# --- Documentation --------------------------------------------------------------------------

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


@lru_cache(maxsize=1)
def openapi_schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        node = schema["components"]["schemas"][name]
    return node


def _type(schema: dict[str, Any], node: dict[str, Any]) -> str:
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    if "allOf" in node:
        return " and ".join(_type(schema, part) for part in node["allOf"])
    if "oneOf" in node:
        return " or ".join(_type(schema, part) for part in node["oneOf"])
    kind = node.get("type", "object")
    if kind == "array":
        return f"list of {_type(schema, node.get('items', {}))}"
    if "enum" in node:
        return "one of " + ", ".join(str(v) for v in node["enum"] if v not in ("", None))
    if node.get("format"):
        return f"{kind} ({node['format']})"
    return str(kind)


def _fields(schema: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(schema, node)
    required = set(node.get("required", []))
    return [
        {
            "name": name,
            "type": _type(schema, prop),
            "required": name in required,
            "description": prop.get("description", ""),
        }
        for name, prop in node.get("properties", {}).items()
    ]


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in schema["paths"].items():
        for method in METHOD_ORDER:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            ok: tuple[str, dict[str, Any]] = next(
                (
                    (code, response)
                    for code, response in operation.get("responses", {}).items()
                    if code.startswith("2")
                ),
                ("200", {}),
            )
            ok_schema = ok[1].get("content", {}).get("application/json", {}).get("schema", {})
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type(schema, parameter.get("schema", {})),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _fields(schema, body["schema"]) if body else [],
                    "returns": _type(schema, ok_schema) if ok_schema else "",
                    "codes": sorted(operation.get("responses", {})),
                }
            )
    return [{"tag": tag, "operations": groups[tag]} for tag in groups]


@login_not_required
def docs(request: HttpRequest) -> HttpResponse:
    """Public, like the schema it is drawn from: it describes the API and holds no data."""
    schema = openapi_schema()
    context = {
        "info": schema["info"],
        "groups": _operations(schema),
        "version": schema["info"].get("version", ""),
    }
    return render(request, "api/docs.html", context)
