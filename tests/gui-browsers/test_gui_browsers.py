#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Browsers GUI test: the "Browsers" window from the main menu, in Turkish,
through AT-SPI, on real NSS databases in the test's private home.

The home holds a Firefox profile listed in profiles.ini, Chromium's
~/.pki/nssdb (both made by certutil) and a snap Firefox.  The window lists
the three: the two not set up, each with a Register button, the snap one
explained and without a button.  Registering in Firefox changes its state
and its button, and modutil -list shows the module in the profile's
database; a "running" Firefox (its lock names a live process) refuses the
removal and says so, the database untouched; once it has quit, the removal
goes through.  Chromium registers too.  The app closes with status 0 and a
clean stderr.

The module is the one the app picks on this computer: p11-kit's proxy (no
AKİS software here).  Run through run-gui-browsers-test.sh (meson test
--suite gui-browsers).
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402

import card_gui as cg  # noqa: E402
from card_gui import find_in, find_all_in, texts_in  # noqa: E402
import translations as tr  # noqa: E402
from translations import _, LANG  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-browsers-artifacts"))
HOME = os.environ["HOME"]
MODULE = os.environ["EIMZA_GUI_BROWSERS_MODULE"]
NAME = "E-İmza Asistanı"

FIREFOX_DIR = os.path.join(HOME, ".mozilla", "firefox", "gu1.default-esr")
NSSDB = os.path.join(HOME, ".pki", "nssdb")
SNAP_DIR = os.path.join(HOME, "snap", "firefox", "common", ".mozilla", "firefox")

FIREFOX = _("Firefox, profile “%s”") % "default-esr"
CHROMIUM = _("Chromium and Google Chrome")
SNAP = _("Firefox (snap)")
NOT_SET_UP = _("Not set up: the card’s module is not registered.")
SET_UP = _("Set up: the card’s module is registered.")


def make_nssdb(directory):
    os.makedirs(directory, exist_ok=True)
    subprocess.run(["certutil", "-N", "--empty-password", "-d", "sql:" + directory],
                   check=True, capture_output=True)


def registered_in(directory):
    """What modutil -list (which loads the modules, as a browser) shows."""
    listed = subprocess.run(["modutil", "-list", "-dbdir", "sql:" + directory],
                            check=True, capture_output=True, text=True).stdout
    return NAME in listed and ("library name: " + MODULE) in listed


class BrowsersTest(cg.CardGuiTest):
    failure_window_shot = True

    def __init__(self):
        super().__init__(ARTIFACTS)
        self.sleeper = None

    # -- helpers ----------------------------------------------------------------

    def dialog(self):
        return self.top("dialog", _("Browsers"))

    def row(self, title):
        """The list row whose first text is title."""
        def one():
            rows = [r for r in find_all_in(self.dialog(), "list item")
                    if texts_in(r)[:1] == [title]]
            return rows[0] if len(rows) == 1 else None
        return wait_for(one, "the row of %r" % title)

    def wait_row_text(self, title, text, timeout=30):
        return wait_for(lambda: text in texts_in(self.row(title)),
                        "the row of %r to say %r (says %r)" % (title, text, texts_in(self.row(title))),
                        timeout)

    def button(self, title, register):
        fmt = _("Register in: %s") if register else _("Remove from: %s")
        return find_in(self.row(title), "push button", fmt % title)

    # -- steps ------------------------------------------------------------------

    def step_start(self):
        make_nssdb(FIREFOX_DIR)
        with open(os.path.join(HOME, ".mozilla", "firefox", "profiles.ini"), "w") as f:
            f.write("[Profile0]\nName=default-esr\nIsRelative=1\nPath=gu1.default-esr\n"
                    "Default=1\n\n[General]\nStartWithLastProfile=1\nVersion=2\n")
        make_nssdb(NSSDB)
        make_nssdb(os.path.join(SNAP_DIR, "sn4p.default"))

        env = dict(cg.LOCALE_ENV)
        # No card reader here: the card service finds no pcscd, which is fine.
        env["PCSCLITE_CSOCK_NAME"] = os.path.join(HOME, "no-pcscd.comm")
        env.update(g.app_sanitizer_env())
        self.app = g.App(APP, ARTIFACTS, "browsers-" + LANG, env=env)
        self.app.start()

    def step_open(self):
        self.app.click(find_in(self.app.window, "toggle button", _("Main Menu")))
        item = wait_for(lambda: next(iter(
            [n for n in find_all_in(self.app.root, None, tr.strip_mnemonic(_("_Browsers")))
             if n.roleName in ("push button", "menu item", "check box")]), None),
            "the main menu's Browsers item")
        self.app.click(item)
        dialog = self.dialog()
        wait_for(lambda: len(find_all_in(dialog, "list item")) == 3,
                 "three browsers in the list (%r)" % texts_in(dialog), 30)
        texts = texts_in(dialog)
        check(_("Card module: %s") % MODULE in texts, "the module is named: %r" % texts)
        for title in (FIREFOX, CHROMIUM):
            self.wait_row_text(title, NOT_SET_UP)
            self.button(title, register=True)
        snap_texts = texts_in(self.row(SNAP))
        check(any("snap" in t for t in snap_texts[1:]), "the snap is explained: %r" % snap_texts)
        check(not find_all_in(self.row(SNAP), "push button"),
              "the snap row has no button")
        self.app.screenshot("browsers-listed")

    def step_register_firefox(self):
        check(not registered_in(FIREFOX_DIR), "Firefox's database starts without the module")
        self.app.click(self.button(FIREFOX, register=True))
        self.wait_row_text(FIREFOX, SET_UP)
        self.button(FIREFOX, register=False)
        check(registered_in(FIREFOX_DIR), "modutil -list shows the module in Firefox's profile")
        check(not registered_in(NSSDB), "Chromium's database is untouched")
        self.app.screenshot("firefox-registered")

    def step_running_firefox(self):
        self.sleeper = subprocess.Popen(["sleep", "300"])
        os.symlink("127.0.1.1:+%d" % self.sleeper.pid, os.path.join(FIREFOX_DIR, "lock"))
        self.app.click(self.button(FIREFOX, register=False))
        refusal = _("Firefox is open with this profile, so nothing was changed. Close Firefox, "
                    "try again, then start Firefox again.")
        self.wait_row_text(FIREFOX, refusal)
        check(registered_in(FIREFOX_DIR), "the running Firefox's database was not changed")
        self.app.screenshot("firefox-running")

        # Firefox quits; its lock stays behind, naming no process.
        self.sleeper.kill()
        self.sleeper.wait()
        self.sleeper = None
        self.app.click(self.button(FIREFOX, register=False))
        self.wait_row_text(FIREFOX, NOT_SET_UP)
        check(refusal not in texts_in(self.row(FIREFOX)), "the refusal is gone")
        self.button(FIREFOX, register=True)
        check(not registered_in(FIREFOX_DIR), "modutil -list no longer shows the module")

    def step_register_chromium(self):
        self.app.click(self.button(CHROMIUM, register=True))
        self.wait_row_text(CHROMIUM, SET_UP)
        check(registered_in(NSSDB), "modutil -list shows the module in ~/.pki/nssdb")
        self.app.screenshot("chromium-registered")

    def final(self):
        if self.sleeper is not None:
            self.sleeper.kill()
            self.sleeper.wait()
        self.final_quit()


def main():
    t = BrowsersTest()
    steps = [
        ("the app starts with Firefox, Chromium and a snap Firefox in its home", t.step_start),
        ("the main menu opens the Browsers window: three browsers, the snap explained",
         t.step_open),
        ("Register in Firefox: set up, modutil -list shows it", t.step_register_firefox),
        ("a running Firefox is left alone and said; after it quits, Remove works",
         t.step_running_firefox),
        ("Register in Chromium: set up, modutil -list shows it", t.step_register_chromium),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
