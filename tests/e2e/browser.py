"""Headless Chromium (Debian's chromium and chromium-driver) driven by Selenium, for tests of the board pages."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ARTEFACTS = Path(os.environ.get("SLRS_TEST_ARTEFACTS", Path(__file__).resolve().parents[2] / "test-artefacts"))


def chromium() -> Any:
    """A headless Chromium at 1280x1800; skipped where none is installed, unless SLRS_REQUIRE_BROWSER is set."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if binary is None or driver is None:
        if os.environ.get("SLRS_REQUIRE_BROWSER"):
            pytest.fail("Chromium and chromedriver are required here (apt-get install chromium chromium-driver)")
        pytest.skip("no Chromium and chromedriver to test the pages in")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1800", "--hide-scrollbars"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(driver), options=options)


def screenshot(browser: Any, name: str) -> Path:
    """Save the whole page as test-artefacts/NAME.png (the page's full height)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(height, 800), 8000))
    path = ARTEFACTS / f"{name}.png"
    browser.save_screenshot(str(path))
    return path
