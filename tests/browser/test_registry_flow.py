"""One filing end to end in a real browser: the enterprise files, two experts review, the regulator
approves, and the public finds it in the register — with no confidential field anywhere public."""

from __future__ import annotations

import json

import httpx
import pytest
from playwright.sync_api import Browser, Page

from gongzhi.registry.demo import DEMO_PDF
from tests.browser.test_navigation import sign_in
from tests.registry.helpers import FORM_SECRETS, SECRETS

SYSTEM_NAME = "浏览器测试对话系统"


def as_role(browser: Browser, server: str, username: str, password: str) -> Page:
    page = browser.new_context(locale="zh-CN").new_page()
    sign_in(page, server, username, password)
    return page


def nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label).click()


@pytest.mark.browser
def test_filing_end_to_end_with_three_roles(browser: Browser, server: str, passwords: dict[str, str]) -> None:
    # 1. The enterprise registers a system and files it.
    ent = as_role(browser, server, "xinghe", passwords["xinghe"])
    nav(ent, "我的系统")
    ent.get_by_test_id("new-system").click()
    ent.get_by_label("名称", exact=True).fill(SYSTEM_NAME)
    ent.get_by_label("用途").fill("面向公众的智能问答服务")
    ent.get_by_label("算法类型").select_option("generation_synthesis")
    ent.get_by_label("模型类型").select_option("large_language_model")
    ent.get_by_label("行业领域").select_option("general")
    ent.get_by_label("部署", exact=True).select_option("public_service")
    ent.get_by_label("地区").fill("示范市")
    ent.get_by_label("舆论属性").check()
    ent.locator("#s-sources").fill(str(SECRETS["data_sources"]))
    ent.locator("#s-mau").fill(str(SECRETS["monthly_active_users"]))
    ent.locator("#s-contact").fill(str(SECRETS["technical_contact"]))
    ent.locator("#s-notes").fill(str(SECRETS["internal_notes"]))
    ent.get_by_role("button", name="登记系统").click()
    assert ent.get_by_role("heading", level=1).inner_text().startswith(SYSTEM_NAME)
    assert "备案并开展安全评估" in ent.get_by_test_id("tier-gongzhi.tiering.cn@1").inner_text()
    ent.get_by_test_id("start-filing").click()
    values = {  # by element id: several labels carry a "(confidential)" note
        "e-uscc": "91330100MA2BROWSE1",
        "e-addr": FORM_SECRETS[("entity", "address")],
        "a-date": "2026-05-01",
        "a-domain": "互联网信息服务",
        "a-summary": "大语言模型生成回答",
        "a-data": FORM_SECRETS[("algorithm", "model_and_training_data")],
        "a-strategy": FORM_SECRETS[("algorithm", "strategy")],
        "a-risks": FORM_SECRETS[("algorithm", "risks_and_safeguards")],
        "d-principle": "根据输入生成文本",
        "d-mech": "推理与审核",
        "d-scen": "智能问答",
    }
    for element_id, value in values.items():
        ent.locator(f"#{element_id}").fill(value)
    ent.locator("#o-name").fill(FORM_SECRETS[("entity", "algorithm_safety_officer", "name")])
    ent.locator("#o-mobile").fill(FORM_SECRETS[("entity", "algorithm_safety_officer", "mobile")])
    ent.locator("#o-email").fill(FORM_SECRETS[("entity", "algorithm_safety_officer", "email")])
    ent.get_by_test_id("save-form").click()
    ent.get_by_label("材料类型").select_option("self_assessment")
    ent.get_by_label("文件（PDF、图片、Word、Excel、文本）").set_input_files(
        {"name": "自评估报告.pdf", "mimeType": "application/pdf", "buffer": DEMO_PDF}
    )
    ent.get_by_role("button", name="上传附件").click()
    assert ent.get_by_role("link", name="自评估报告.pdf").is_visible(), ent.locator("main").inner_text()[:1500]
    ent.locator("#declare").check()
    ent.get_by_test_id("submit-filing").click()
    assert ent.get_by_test_id("filing-state").inner_text() == "已提交"
    filing_url = ent.url

    # 2. The regulator assigns two experts.
    reg = as_role(browser, server, "regulator", passwords["regulator"])
    nav(reg, "备案审核队列")
    reg.goto(filing_url)
    reg.get_by_test_id("expert-expert1").check()
    reg.get_by_test_id("expert-expert2").check()
    reg.get_by_test_id("assign").click()
    assert reg.get_by_test_id("filing-state").inner_text() == "评审中"

    # 3. Each expert declares no conflict, then sees the confidential parts and gives an opinion.
    for expert in ("expert1", "expert2"):
        page = as_role(browser, server, expert, passwords[expert])
        nav(page, "我的评审")
        page.get_by_test_id("review-link").last.click()
        assert FORM_SECRETS[("algorithm", "strategy")] not in page.content()  # not before the declaration
        page.get_by_test_id("no-conflict").check()
        page.get_by_test_id("declare").click()
        assert FORM_SECRETS[("algorithm", "strategy")] in page.content()
        page.get_by_label("意见", exact=True).select_option("approve")
        page.get_by_label("理由").fill("材料完整，同意备案。")
        page.get_by_test_id("give-opinion").click()
        assert page.get_by_test_id("opinion-given").is_visible()
        page.context.close()

    # 4. The regulator approves; a filing number is issued.
    reg.goto(filing_url)
    reg.locator("#decision").select_option("approve")
    reg.get_by_label("理由").fill("经专家评审，予以备案。")
    reg.get_by_test_id("decide").click()
    assert reg.get_by_test_id("filing-state").inner_text() == "已备案"
    number = reg.get_by_test_id("filing-number").inner_text()
    assert number.startswith("示范算备")

    # 5. The public finds it, and nothing confidential is anywhere public.
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{server}/register")
    public.get_by_label("搜索", exact=True).fill(SYSTEM_NAME)
    public.get_by_role("button", name="搜索").click()
    assert public.get_by_test_id("register-entry").count() >= 1, public.locator("main").inner_text()[:800]
    public.get_by_test_id("register-entry").first.click()
    assert public.get_by_role("heading", level=1).inner_text().startswith(SYSTEM_NAME)
    assert public.get_by_test_id("proof-link").is_visible()
    public_texts = {"page": public.content()}
    entry_id = public.url.rsplit("/", 1)[-1]
    public_texts["api"] = httpx.get(f"{server}/api/v1/registry/public/entries/{entry_id}").text
    public_texts["json"] = httpx.get(f"{server}/api/v1/registry/public/export?format=json").text
    public_texts["csv"] = httpx.get(f"{server}/api/v1/registry/public/export?format=csv").text
    assert number in public_texts["csv"] and SYSTEM_NAME in public_texts["json"]
    secrets = [str(v) for v in SECRETS.values()] + list(FORM_SECRETS.values())
    for where, text in public_texts.items():
        for secret in secrets:
            assert secret not in text, f"confidential value {secret} leaked in the public {where}"
    api = json.loads(public_texts["api"])
    for field in ("data_sources", "monthly_active_users", "technical_contact", "internal_notes"):
        assert field not in api["system"], field
    assert "strategy" not in api["form"]["algorithm"] and "address" not in api["form"]["entity"]
    # The ledger entry of the decision verifies.
    public.get_by_test_id("proof-link").click()
    assert "filing.approve" in public.content()
