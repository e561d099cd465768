"""An enterprise finds the sensitive data in a file in a real browser, reads the grading and downloads a masked copy."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from gongzhi.datasec import synth
from tests.browser.test_navigation import sign_in


@pytest.mark.browser
def test_upload_scan_and_mask_in_the_browser(
    browser: Browser, server: str, worker: None, passwords: dict[str, str], tmp_path: Path
) -> None:
    data, _labels = synth.table(200, seed=3)
    path = tmp_path / "customers.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(list(data))
        w.writerows(zip(*data.values(), strict=True))
    raw_ids = [str(v) for v in data["cn_id"][:20]]

    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "xinghe", passwords["xinghe"])
    page.goto(f"{server}/datasec")
    page.fill("#up-name", "客户信息表")
    page.set_input_files("#up-file", str(path))
    page.get_by_role("button", name="上传").click()
    page.wait_for_url(f"{server}/datasec/sources/*")
    page.select_option("#profile", "cn.gbt43697.v2024@1")
    page.get_by_test_id("start-scan").click()
    page.wait_for_url(f"{server}/datasec/scans/*")
    expect(page.get_by_test_id("scan-level")).to_be_visible(timeout=90_000)  # the page refreshes when the job ends
    rows = page.get_by_test_id("column-row")
    expect(rows.filter(has_text="CN_RESIDENT_ID")).to_have_count(1)
    expect(rows.filter(has_text="CN_MOBILE")).to_have_count(1)
    content = page.content()
    assert not any(raw in content for raw in raw_ids), "the scan page shows raw identity numbers"

    page.locator('h1 a[href^="/datasec/sources/"]').click()
    page.fill("#policy", '{"columns": {"cn_id": "partial"}}')
    page.get_by_test_id("start-mask").click()
    page.wait_for_url(f"{server}/datasec/masks/*")
    download_link = page.get_by_test_id("download")
    expect(download_link).to_be_visible(timeout=90_000)
    with page.expect_download() as info:
        download_link.click()
    masked = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert len(masked) == 200
    # the policy names one column; the other sensitive columns get their type's default, the rest stays as it was
    assert all(row["mobile"] != str(v) and "*" in row["mobile"] for row, v in zip(masked, data["mobile"], strict=False))
    assert [row["order_no"] for row in masked[:20]] == [str(v) for v in data["order_no"][:20]]
    assert all(row["cn_id"] not in raw_ids and "*" in row["cn_id"] for row in masked[:20])
    context.close()
