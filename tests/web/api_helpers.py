"""Calling the API as a persona with a bearer token."""

from __future__ import annotations

import json

from django.test import Client

from brobygger.web.accounts.models import ApiToken


class Api:
    def __init__(self, user=None):
        self.client = Client()
        self.headers = {}
        if user is not None:
            _, token = ApiToken.issue(user, "test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(f"/api{path}", params, **self.headers)

    def post(self, path, body):
        return self.client.post(f"/api{path}", json.dumps(body),
                                content_type="application/json", **self.headers)


def api_for(world, persona: str) -> Api:
    return Api(None if persona == "anonymous" else getattr(world, persona))
