# SPDX-License-Identifier: GPL-3.0-or-later
"""`eimza-asistan --demo` for the suites that walk its pages (gui-themes,
gui-keyboard): start it with a private TMPDIR and the test's captcha log,
read the Demo badge's facts, and find the captcha's text.

Import eimza_gui first (it sets dogtail up).
"""

import glob
import os

import eimza_gui as g
from eimza_gui import check, log, wait_for

import card_gui as cg
from card_gui import find_in, find_all_in

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
_ = cg._

# tools/demo/eimza-demo-card's person (tools/portal-sim/fixtures/mernis.tsv).
DEMO_TCKN = "10000000214"
DEMO_NAME = "Mehmet Çağrı Öztürk"
DEMO_BIRTH_DATE = "02.11.1978"

# The badge's fact names, by the sign-in field they go into.
SIGN_IN_FACTS = [
    ("_T.C. Kimlik No", "T.C. Kimlik No"),
    ("_Name", "Name"),
    ("_Surname", "Surname"),
    ("Place of _birth", "Place of birth"),
    ("_Date of birth", "Date of birth"),
]


def guard_demo_secrets():
    g.secret_canary.secret("T.C. Kimlik No", DEMO_TCKN)
    g.secret_canary.secret("date of birth", DEMO_BIRTH_DATE)
    g.secret_canary.name(DEMO_NAME)


class DemoApp(cg.CardGuiTest):
    """One demo app (no pcscd: the demo needs none) and its helpers."""

    def __init__(self, artifacts, scratch, name, extra_env=None):
        super().__init__(artifacts)
        self.artifacts = artifacts
        self.name = name
        self.scratch = scratch
        self.tmpdir = os.path.join(scratch, name + "-tmp")
        self.captcha_log = os.path.join(scratch, name + "-captcha.txt")
        self.extra_env = dict(extra_env or {})
        self.facts = {}
        self.last_captcha = None

    def start_demo(self):
        os.makedirs(self.tmpdir, mode=0o700, exist_ok=True)
        env = dict(cg.LOCALE_ENV)
        env.update({
            "TMPDIR": self.tmpdir,
            "EIMZA_DEMO_TEST_CAPTCHA_LOG": self.captcha_log,
            "PCSCLITE_CSOCK_NAME": os.path.join(self.scratch, "no-pcscd.comm"),
        })
        env.update(g.app_sanitizer_env())
        env.update(self.extra_env)
        self.app = g.App(APP, self.artifacts, self.name, env=env, args=["--demo"])
        self.app.start()
        check(len(glob.glob(os.path.join(self.tmpdir, "eimza-demo-*"))) == 1,
              "the demo did not make its directory in %s" % self.tmpdir)

    def badge(self):
        return find_in(self.app.window, "toggle button", _("Demo"), what="the Demo badge")

    def read_popover_facts(self):
        """{fact name: value} of the badge's open popover."""
        title = find_in(self.app.root, "label", _("Demonstration"), what="the badge's popover")
        facts = {}
        for label in find_all_in(title.parent, "label"):
            for rel in label.getRelationSet():
                if rel.getRelationType() == g.pyatspi.RELATION_LABEL_FOR:
                    facts[label.name] = self.app.text_of(rel.getTarget(0))
        pin = facts.get(_("Card PIN"))
        if pin:
            g.secret_canary.secret("PIN", pin)
        code = facts.get(_("Last SMS code"))
        if code and code.isdigit():
            g.secret_canary.secret("SMS code", code)
        log("the badge's popover: %r" % sorted(facts))
        return facts

    def popover_gone(self):
        wait_for(lambda: not find_all_in(self.app.root, "label", _("Demonstration")),
                 "the badge's popover to close")

    def new_captcha(self):
        """The text of a captcha the demo's simulator showed since the last
        one read."""
        def read():
            try:
                with open(self.captcha_log, encoding="utf-8") as f:
                    text = f.read().strip()
            except FileNotFoundError:
                return None
            return text if text and text != self.last_captcha else None

        self.last_captcha = wait_for(read, "the captcha's text in %s" % self.captcha_log, 30)
        return self.last_captcha

    def captcha_shown(self):
        wait_for(lambda: any(g.is_showing(n) for n in self.app.find_all(None, _("Security image"))),
                 "the captcha image from the simulator", 30)
