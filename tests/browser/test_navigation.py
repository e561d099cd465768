"""Each demo role signs in through a real browser and sees its own navigation, in Chinese by default."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from gongzhi.areas import load_areas
from gongzhi.db.engine import SessionFactory
from gongzhi.identity.auth import principal_for
from gongzhi.identity.models import User
from gongzhi.web.templating import navigation
from tests.conftest import DEMO_USERNAMES


def sign_in(page: Page, server: str, username: str, password: str) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert page.url == f"{server}/", page.content()


def nav_paths(page: Page) -> list[str]:
    return page.locator("nav.main-nav a").evaluate_all("links => links.map(a => a.getAttribute('data-nav'))")


def expected_paths(factory: SessionFactory, username: str) -> list[str]:
    with factory() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return [item.path for item in navigation(principal_for(user), load_areas())]


@pytest.mark.browser
def test_every_demo_role_sees_its_own_navigation(
    browser: Browser, server: str, passwords: dict[str, str], factory: SessionFactory
) -> None:
    seen: dict[str, list[str]] = {}
    for username in DEMO_USERNAMES:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        sign_in(page, server, username, passwords[username])
        assert page.get_by_test_id("who").inner_text() == username
        seen[username] = nav_paths(page)
        assert seen[username] == expected_paths(factory, username), username
        context.close()
    # The policy's differences show: the regulator manages organisations, enterprises and experts do not.
    assert "/admin/orgs" in seen["regulator"] and "/admin/orgs" in seen["operator"]
    assert "/admin/orgs" not in seen["xinghe"] and "/admin/orgs" not in seen["expert1"]
    assert "/admin/my-org" in seen["xinghe"] and "/admin/my-org" not in seen["expert1"]
    assert "/admin/my-org" not in seen["officer"]


@pytest.mark.browser
def test_public_visitor_switches_language_and_is_sent_to_sign_in(browser: Browser, server: str) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{server}/")
    assert page.locator("html").get_attribute("lang") == "en"  # the browser asked for English
    page.get_by_role("link", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text() == "共治人工智能治理平台"
    page.goto(f"{server}/admin/orgs")
    assert "/login" in page.url
    context.close()


@pytest.mark.browser
def test_regulator_adds_an_organisation_and_its_first_user(
    browser: Browser, server: str, passwords: dict[str, str]
) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, server, "regulator", passwords["regulator"])
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="单位管理").click()
    page.get_by_label("名称", exact=True).fill("晨光数据科技有限公司")
    page.get_by_label("类型").select_option("enterprise")
    page.get_by_role("button", name="添加单位").click()
    assert page.get_by_role("heading", level=1).inner_text() == "晨光数据科技有限公司"
    page.get_by_label("用户名").fill("chenguang")
    page.get_by_label("名称").fill("晨光管理员")
    page.get_by_label("角色").select_option("admin")
    page.get_by_label("初始密码").fill("onlyletters")
    page.get_by_role("button", name="添加用户").click()
    assert "密码须包含字母及数字或符号" in page.get_by_role("alert").inner_text()  # a clear error, nothing created
    page.get_by_label("初始密码").fill("chenguang-pass-2026")
    page.get_by_role("button", name="添加用户").click()
    assert page.get_by_role("heading", level=1).inner_text() == "晨光数据科技有限公司"
    assert page.get_by_role("alert").count() == 0
    # The regulator onboards the party's administrator but does not see its staff list; the new admin does.
    assert page.get_by_role("cell", name="chenguang", exact=True).count() == 0
    page.get_by_role("button", name="退出登录").click()
    sign_in(page, server, "chenguang", "chenguang-pass-2026")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="本单位").click()
    assert page.get_by_role("cell", name="chenguang", exact=True).is_visible()
    context.close()
