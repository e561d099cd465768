"""The data-security pages, as a signed-in user with a browser-like client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gongzhi.config import Settings
from gongzhi.db.engine import SessionFactory
from tests.datasec.test_api import run_jobs


def test_upload_scan_override_inventory_and_mask_pages(
    web: Any, passwords: dict[str, str], people_csv: Path, factory: SessionFactory, settings: Settings
) -> None:
    web.login("xinghe", passwords["xinghe"])
    home = web.page("/datasec")
    assert "上传数据文件" in home and "登记服务器路径或数据库" not in home  # only operators register paths
    response = web.http.post(
        "/datasec/sources/upload",
        data={"name": "客户表", "csrf_token": web.csrf},
        files={"file": ("people.csv", people_csv.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    source_path = response.headers["location"]
    page = web.page(source_path)
    assert "客户表" in page and "cn.gbt43697.v2024@1" in page
    started = web.post_form(f"{source_path}/scans", {"profile": "cn.gbt43697.v2024@1", "sample_rows": ""})
    scan_path = started.headers["location"]  # type: ignore[attr-defined]
    assert 'hx-get="' + scan_path + '/status"' in web.page(scan_path)
    run_jobs(factory, settings)
    status = web.http.get(f"{scan_path}/status", headers={"HX-Request": "true"})
    assert status.headers.get("HX-Refresh") == "true"
    scan = web.page(scan_path)
    assert "CN_RESIDENT_ID" in scan and "general-4" in scan
    column_id = re.search(r'id="column-(\d+)"', scan).group(1)  # type: ignore[union-attr]
    bad = web.post_form(f"/datasec/columns/{column_id}/override", {"level": "general-1", "justification": "短"})
    assert bad.status_code == 422  # type: ignore[attr-defined]
    ok = web.post_form(
        f"/datasec/columns/{column_id}/override", {"level": "general-1", "justification": "测试数据，非真实个人信息"}
    )
    assert ok.status_code == 303  # type: ignore[attr-defined]
    assert "测试数据，非真实个人信息" in web.page(scan_path)
    inventory = web.page("/datasec/inventory?entity_type=CN_MOBILE")
    assert inventory.count('data-testid="inventory-row"') == 1
    masked = web.post_form(
        f"{source_path}/masks", {"policy": '{"columns": {"mobile": "suppress"}}', "output_format": "csv"}
    )
    mask_path = masked.headers["location"]  # type: ignore[attr-defined]
    run_jobs(factory, settings)
    assert 'data-testid="download"' in web.page(mask_path)
    bad_policy = web.post_form(f"{source_path}/masks", {"policy": "not json", "output_format": "csv"})
    assert bad_policy.status_code == 422  # type: ignore[attr-defined]


def test_other_parties_get_not_found(web: Any, passwords: dict[str, str], people_csv: Path) -> None:
    web.login("xinghe", passwords["xinghe"])
    response = web.http.post(
        "/datasec/sources/upload",
        data={"csrf_token": web.csrf},
        files={"file": ("people.csv", people_csv.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    path = response.headers["location"]
    web.http.post("/logout", data={"csrf_token": web.csrf})
    web.login("qingsong", passwords["qingsong"])
    assert web.http.get(path).status_code == 404
