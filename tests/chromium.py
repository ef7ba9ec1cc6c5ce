"""Headless Chromium for the browser tests: Debian's chromium + chromium-driver through selenium.

The flags keep Chromium off this machine's closed network (background networking, QUIC,
component updates) and give it a fresh profile. With CI=true a missing browser fails the test
run instead of skipping it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage")
BROWSERS = ("chromium", "chromium-browser")


def missing(reason: str) -> None:
    """Skip outside CI; fail in CI, which must provide what the test needs."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must provide it (apt-get install chromium chromium-driver)", pytrace=False)
    pytest.skip(reason)


def start_chromium(profile_dir: Path, *, window: str, performance_log: bool = False, page_load_timeout: int = 30):
    """A selenium driver for a headless Chromium with a fresh profile in ``profile_dir``."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed (pip install -e '.[test]')")
    binary = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        missing("chromium or chromedriver is not on PATH")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS + (f"--window-size={window}", f"--user-data-dir={profile_dir}"):
        options.add_argument(flag)
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(page_load_timeout)
    return driver
