"""The review page (issue 9) in a real browser: headless Chromium from Debian's `chromium` and
`chromium-driver` packages, driven by Selenium. Not skipped when the browser is missing: .ci/run
installs it, and a run without it fails and says what to install."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from summarizer import check, render_brief, render_check, summarize

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HOSTILE = """Hostile Wire

The embassy statement was posted online on Wednesday and quickly shared. <script>window.__pwned = 1;</script>
Readers were told to <a href="javascript:window.__pwned=2">click here</a> for the full statement, which never loaded.
<img src=x onerror="window.__pwned=3"> The image that came with it showed a crowded press room in Moscow.
"""


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail("the review page tests need a browser: apt-get install chromium chromium-driver")
    return chromium, driver


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    chromium, driver = _browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900"):
        options.add_argument(argument)
    session = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield session
    finally:
        session.quit()


@pytest.fixture(scope="module")
def brief_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    (folder / "zz_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    page = tmp_path_factory.mktemp("page") / "brief.html"
    page.write_text(render_brief(summarize([folder], engine="extractive"), "html"), encoding="utf-8")
    return page


def _active_ids(browser: webdriver.Chrome) -> list[str]:
    return [e.get_attribute("id") for e in browser.find_elements(By.CSS_SELECTOR, ".sent.active")]


def _in_view(browser: webdriver.Chrome, element_id: str) -> bool:
    return bool(browser.execute_script(
        "var e = document.getElementById(arguments[0]), pane = document.getElementById('sources');"
        "var r = e.getBoundingClientRect(), p = pane.getBoundingClientRect();"
        "return r.top >= p.top && r.bottom <= p.bottom;", element_id))


def test_clicking_a_citation_scrolls_to_the_cited_sentence_and_highlights_it(browser: webdriver.Chrome,
                                                                             brief_page: Path) -> None:
    browser.get(brief_page.as_uri())
    buttons = browser.find_elements(By.CSS_SELECTOR, "button.cite")
    button = buttons[-1]  # far down the page: its sentence is out of view until clicked
    wanted = button.get_attribute("data-targets").split()
    browser.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    assert _active_ids(browser) == wanted
    assert _in_view(browser, wanted[0])
    cited = browser.find_element(By.ID, wanted[0]).text
    assert cited and cited in button.get_attribute("title")  # the tooltip names the same sentence


def test_a_statement_is_reachable_by_keyboard(browser: webdriver.Chrome, brief_page: Path) -> None:
    browser.get(brief_page.as_uri())
    item = browser.find_elements(By.CSS_SELECTOR, "li[data-targets]")[2]
    browser.execute_script("arguments[0].focus()", item)
    item.send_keys(Keys.ENTER)
    assert _active_ids(browser) == item.get_attribute("data-targets").split()


def test_an_article_s_script_never_runs_and_stays_text(browser: webdriver.Chrome, brief_page: Path) -> None:
    browser.get(brief_page.as_uri())
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript'], img") == []
    sources = browser.find_element(By.ID, "sources").text
    assert "<script>window.__pwned = 1;</script>" in sources  # shown as the article's text
    # The page's own script is allowed by the policy: the click above worked; nothing else is.
    policy = browser.find_element(By.CSS_SELECTOR, "meta[http-equiv='Content-Security-Policy']").get_attribute("content")
    assert policy.startswith("default-src 'none'") and "script-src 'sha256-" in policy


def test_a_check_page_marks_verdicts_and_shows_the_conflicting_sentence(browser: webdriver.Chrome,
                                                                       tmp_path: Path) -> None:
    draft = ("Last week's attack in Idlib province resulted in nearly 120 deaths, with horrific video footage "
             "emerging. [4]\n\nMr Tillerson said the US was \"quite confident\" that the Assad regime was "
             "responsible. [4]\n")
    page = tmp_path / "check.html"
    page.write_text(render_check(check(draft, [SEEDS]), "html"), encoding="utf-8")
    browser.get(page.as_uri())
    contradicted = browser.find_element(By.CSS_SELECTOR, "li.verdict-contradicted")
    assert "120 deaths" in contradicted.text and "100 deaths" in contradicted.text  # the conflict beside it
    assert len(browser.find_elements(By.CSS_SELECTOR, "li.verdict-supported")) == 1
    contradicted.click()
    [active] = _active_ids(browser)
    assert "100 deaths" in browser.find_element(By.ID, active).text
    assert "conflict" in browser.find_element(By.ID, active).get_attribute("class")
