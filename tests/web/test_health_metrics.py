from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient


def test_healthz_checks_the_database(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_dead_database(app: Any, client: TestClient) -> None:
    from gongzhi.db.engine import make_engine, make_session_factory

    app.state.read_factory = make_session_factory(make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_metrics_need_an_operator_and_speak_prometheus(api_as: Callable[..., Any]) -> None:
    assert api_as(None).get("/metrics").status_code == 401
    assert api_as("xinghe").get("/metrics").status_code == 403
    operator = api_as("operator", ["metrics:read", "identity:read"])
    operator.get("/api/v1/identity/organisations")
    response = operator.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert 'gongzhi_http_requests_total{method="GET",route="/api/v1/identity/organisations",status="200"}' in text
    assert 'gongzhi_jobs{state="queued"}' in text


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/identity/organisations" in spec["paths"]
    docs = client.get("/api/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
