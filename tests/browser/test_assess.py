"""A lab tester uploads data in a real browser, runs a profile as a job with live progress and opens the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.assess.conftest import credit_frame
from tests.browser.test_navigation import sign_in


@pytest.mark.browser
def test_upload_run_and_read_the_report(
    browser: Browser, server: str, worker: None, passwords: dict[str, str], tmp_path: Path
) -> None:
    data = tmp_path / "credit.csv"
    credit_frame(400).write_csv(data)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, server, "lab", passwords["lab"])
    page.goto(f"{server}/assess/new?profile=gongzhi.assess.cn-tc260-trustworthy@1")
    page.set_input_files("#data", str(data))
    page.fill("#title", "信用评分模型")
    page.fill("#target", "approved")
    page.fill("#prediction", "predicted")
    page.fill("#score", "score")
    page.fill("#sensitive", "sex,region")
    page.select_option("#answer-cn\\.pc\\.1", "yes")
    page.get_by_role("button", name="开始评估").click()
    page.wait_for_url(f"{server}/assess/*")
    reports = page.get_by_test_id("reports")
    expect(reports).to_be_visible(timeout=90_000)
    page.locator('a[data-format="html"]').click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("信用评分模型")
    assert page.locator("svg").count() > 3
    assert "人口均等差异" in page.content()
    context.close()
